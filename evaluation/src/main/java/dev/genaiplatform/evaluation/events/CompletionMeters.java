package dev.genaiplatform.evaluation.events;

import dev.genaiplatform.contracts.chat.ChatCompletionRecordedEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;

/**
 * Stored events as Micrometer meters, for Prometheus at {@code /actuator/prometheus} on the management port.
 * Prometheus keeps the history and computes rates over any window (refusal rate, block rate, cost per hour),
 * and the alert rules in {@code infra/observability} watch those rates. A meter moves only when an event is
 * stored for the first time, so a redelivery never counts twice.
 *
 * <p>Series carry {@code tenant}, {@code model} and, on requests, {@code prompt_version}: fine for a demo, but
 * each label value multiplies the series (each timer adds about 90 buckets), so at scale the tenant label
 * belongs in logs or a warehouse, not in metrics.
 */
final class CompletionMeters {

    static final String NO_PROMPT_VERSION = "unknown";

    private final MeterRegistry registry;
    private final Duration highestTrackableLatency;
    private final Counter duplicates;

    CompletionMeters(MeterRegistry registry, Duration highestTrackableLatency) {
        this.registry = registry;
        this.highestTrackableLatency = highestTrackableLatency;
        this.duplicates = Counter.builder("platform.evaluation.duplicate.events")
                .description("Events (completions, guardrail verdicts) dropped because their event id was already stored")
                .register(registry);
    }

    void record(ChatCompletionRecordedEvent event, String tenant) {
        Tags tags = Tags.of("tenant", tenant, "model", event.model());
        String promptVersion = event.provenance() == null || event.provenance().promptVersion() == null
                ? NO_PROMPT_VERSION : event.provenance().promptVersion();
        Counter.builder("platform.chat.requests")
                .description("Chat requests by outcome")
                .tags(tags).tag("outcome", event.outcome().name()).tag("prompt_version", promptVersion)
                .register(registry).increment();
        tokens(tags, "prompt").increment(event.promptTokens());
        tokens(tags, "completion").increment(event.completionTokens());
        if (event.costUsd() != null) {
            Counter.builder("platform.chat.cost")
                    .description("What the model calls cost, at the orchestrator's price table")
                    .baseUnit("usd")
                    .tags(tags)
                    .register(registry).increment(event.costUsd());
        }
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

    void recordDuplicates(int count) {
        duplicates.increment(count);
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
