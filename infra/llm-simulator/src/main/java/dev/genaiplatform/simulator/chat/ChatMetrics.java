package dev.genaiplatform.simulator.chat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The simulator's own meters, named after what vLLM exports so dashboards carry over:
 * {@code simulator_requests_total{model,status}}, {@code simulator_prompt_tokens_total{model}} and
 * {@code simulator_generation_tokens_total{model}} in Prometheus.
 */
final class ChatMetrics {

    /** The model tag for requests that named no configured model: user input must not become a tag value. */
    static final String UNKNOWN_MODEL = "unknown";

    private final MeterRegistry registry;

    ChatMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void request(String model, int status) {
        registry.counter("simulator.requests", "model", model, "status", Integer.toString(status)).increment();
    }

    void promptTokens(String model, int tokens) {
        registry.counter("simulator.prompt.tokens", "model", model).increment(tokens);
    }

    /** The model's generated-token counter, looked up once per request and counted into token by token. */
    Counter generatedTokens(String model) {
        return registry.counter("simulator.generation.tokens", "model", model);
    }
}
