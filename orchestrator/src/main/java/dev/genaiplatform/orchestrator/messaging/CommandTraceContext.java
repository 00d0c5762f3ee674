package dev.genaiplatform.orchestrator.messaging;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import org.apache.kafka.common.header.Headers;

import java.nio.charset.StandardCharsets;

/**
 * Writes the caller's trace context ({@code traceparent}, and {@code tracestate} or baggage when there are any) onto a
 * command, so guardrails' and retrieval's spans join the request's trace, without the producer span and timer that
 * Spring Kafka's template observation records for every send.
 *
 * <p>Measured in {@code KafkaRoundTripBenchmark} (README, Benchmark, "Wave 9"): the template's observation was most of
 * the orchestrator's own share of a round trip. What a trace loses is one short span per command ("send"); the
 * answering service's span becomes a child of the span that asked (the request's), in the same trace. With no span
 * current (nothing to continue), nothing is written and the answering service starts a trace of its own, as it did
 * when the template opened a new root span for such a send.
 */
public final class CommandTraceContext {

    private final Tracer tracer;
    private final Propagator propagator;

    /** Either may be null (tracing absent): then nothing is written. */
    public CommandTraceContext(Tracer tracer, Propagator propagator) {
        this.tracer = tracer;
        this.propagator = propagator;
    }

    /** Writes the current span's context into {@code headers}; nothing when no span is current. */
    public void writeTo(Headers headers) {
        if (this.tracer == null || this.propagator == null) {
            return;
        }
        Span current = this.tracer.currentSpan();
        if (current == null) {
            return;
        }
        this.propagator.inject(current.context(), headers,
                (carrier, key, value) -> carrier.remove(key).add(key, value.getBytes(StandardCharsets.UTF_8)));
    }
}
