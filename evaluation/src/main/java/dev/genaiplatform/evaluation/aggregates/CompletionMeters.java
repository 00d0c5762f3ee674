package dev.genaiplatform.evaluation.aggregates;

import dev.genaiplatform.contracts.chat.ChatCompletionRecordedEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;

/**
 * The same events as Micrometer meters, for Prometheus at {@code /actuator/prometheus}. Prometheus keeps
 * the history and computes rates and percentiles over any window, which the in-memory aggregates cannot.
 *
 * <p>Every series carries {@code tenant} and {@code model} labels: fine for a demo, but each label value
 * multiplies the series (and each timer's percentile histogram is about 90 buckets), so at scale the tenant label
 * belongs in logs or a warehouse, not in metrics.
 */
final class CompletionMeters {

    private final MeterRegistry registry;
    private final Duration highestTrackableLatency;
    private final Counter duplicates;

    CompletionMeters(MeterRegistry registry, Duration highestTrackableLatency) {
        this.registry = registry;
        this.highestTrackableLatency = highestTrackableLatency;
        this.duplicates = Counter.builder("platform.evaluation.duplicate.events")
                .description("Completion events dropped because their event id was seen recently")
                .register(registry);
    }

    void record(ChatCompletionRecordedEvent event) {
        Tags tags = Tags.of("tenant", event.tenantId(), "model", event.model());
        Counter.builder("platform.chat.requests")
                .description("Chat requests by outcome")
                .tags(tags).tag("outcome", event.outcome().name())
                .register(registry).increment();
        tokens(tags, "prompt").increment(event.promptTokens());
        tokens(tags, "completion").increment(event.completionTokens());
        if (event.guardrailVerdict() != null) {
            Counter.builder("platform.chat.guardrail.verdicts")
                    .description("Guardrail verdicts on chat inputs")
                    .tags(tags).tag("verdict", event.guardrailVerdict().name())
                    .register(registry).increment();
        }
        timer("platform.chat.latency", "Request received to last byte produced", tags)
                .record(Duration.ofMillis(event.latencyMillis()));
        if (event.timeToFirstTokenMillis() != null) {
            timer("platform.chat.time.to.first.token", "Request received to first answer token", tags)
                    .record(Duration.ofMillis(event.timeToFirstTokenMillis()));
        }
    }

    void recordDuplicate() {
        duplicates.increment();
    }

    private Counter tokens(Tags tags, String kind) {
        return Counter.builder("platform.chat.tokens")
                .description("Tokens sent to (prompt) and produced by (completion) the model")
                .baseUnit("tokens")
                .tags(tags).tag("kind", kind)
                .register(registry);
    }

    private Timer timer(String name, String description, Tags tags) {
        return Timer.builder(name)
                .description(description)
                .tags(tags)
                .publishPercentileHistogram()
                .maximumExpectedValue(highestTrackableLatency)
                .register(registry);
    }
}
