package dev.genaiplatform.simulator.serving;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * One model's serving meters, each the counterpart of a vLLM metric so a vLLM dashboard reads them
 * (Prometheus names; Micrometer's dots become underscores, timers gain {@code _seconds}):
 * <ul>
 *   <li>{@code simulator_requests_running} ~ {@code vllm:num_requests_running}</li>
 *   <li>{@code simulator_requests_waiting} ~ {@code vllm:num_requests_waiting}</li>
 *   <li>{@code simulator_kv_cache_usage} (0..1) ~ {@code vllm:gpu_cache_usage_perc} (also 0..1)</li>
 *   <li>{@code simulator_time_to_first_token_seconds} ~ {@code vllm:time_to_first_token_seconds}</li>
 *   <li>{@code simulator_inter_token_latency_seconds} ~ {@code vllm:time_per_output_token_seconds}</li>
 *   <li>{@code simulator_queue_time_seconds} ~ {@code vllm:request_queue_time_seconds}</li>
 * </ul>
 * All tagged {@code model}. The token counters ({@code simulator_prompt_tokens_total},
 * {@code simulator_generation_tokens_total}) are counted where requests are handled.
 */
final class ServingMetrics {

    private final MeterRegistry registry;
    private final String model;
    private final Timer timeToFirstToken;
    private final Timer interTokenLatency;
    private final Timer queueTime;

    ServingMetrics(MeterRegistry registry, String model) {
        this.registry = registry;
        this.model = model;
        this.timeToFirstToken = latency("simulator.time.to.first.token",
                "From arrival to the first token, queueing and prefill included");
        this.interTokenLatency = latency("simulator.inter.token.latency", "Between two tokens of one response");
        this.queueTime = latency("simulator.queue.time", "Waiting for KV cache and a sequence slot");
    }

    /** Registers the gauges that read the scheduler's current load. */
    void watch(Supplier<ModelScheduler.Load> load) {
        gauge("simulator.requests.running", "Sequences in the running batch", load, l -> l.running());
        gauge("simulator.requests.waiting", "Requests queued for KV cache or a sequence slot", load, l -> l.waiting());
        gauge("simulator.kv.cache.usage", "Share (0..1) of KV-cache blocks held by running sequences", load,
                ModelScheduler.Load::kvCacheUsage);
    }

    void timeToFirstToken(long nanos) {
        timeToFirstToken.record(nanos, TimeUnit.NANOSECONDS);
    }

    void interTokenLatency(long nanos) {
        interTokenLatency.record(nanos, TimeUnit.NANOSECONDS);
    }

    void queueTime(long nanos) {
        queueTime.record(nanos, TimeUnit.NANOSECONDS);
    }

    private Timer latency(String name, String description) {
        return Timer.builder(name).description(description).tag("model", model)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(60))
                .register(registry);
    }

    private void gauge(String name, String description, Supplier<ModelScheduler.Load> load,
                       ToDoubleFunction<ModelScheduler.Load> value) {
        Gauge.builder(name, load, supplier -> value.applyAsDouble(supplier.get()))
                .description(description).tag("model", model).strongReference(true).register(registry);
    }
}
