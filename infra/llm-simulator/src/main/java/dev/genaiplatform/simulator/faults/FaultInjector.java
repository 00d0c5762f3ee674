package dev.genaiplatform.simulator.faults;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.web.reactive.function.server.ServerRequest;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;

/**
 * Chooses the fault a chat completion gets: the one its {@code x-sim-fault} header asked for (already
 * read by {@link FaultInjectionFilter}), else the first configured rule that fires for its model, else
 * none. Every injected fault is counted in {@code simulator.faults{model, kind}}
 * ({@code simulator_faults_total} in Prometheus).
 */
public final class FaultInjector {

    private final FaultProperties properties;
    private final MeterRegistry meters;
    private final DoubleSupplier random;
    /** One counter per rule for "every n-th request", so each rule keeps its own rhythm. */
    private final List<AtomicLong> seen;

    public FaultInjector(FaultProperties properties, MeterRegistry meters, DoubleSupplier random) {
        this.properties = properties;
        this.meters = meters;
        this.random = random;
        this.seen = properties.rules().stream().map(rule -> new AtomicLong()).toList();
    }

    /** Chooses and activates the fault for a request to {@code model}; call once, after the rate limits. */
    public ActiveFault choose(ServerRequest request, String model) {
        Optional<Fault> fault = request.attribute(FaultInjectionFilter.REQUESTED)
                .map(Fault.class::cast)
                .or(() -> fromRules(model));
        if (fault.isEmpty()) {
            return ActiveFault.NONE;
        }
        meters.counter("simulator.faults", "model", model, "kind", fault.get().kind().wireName()).increment();
        ActiveFault active = new ActiveFault(fault.get(), model, properties.retryAfter(), properties.firstTokenDelay(),
                properties.tokenDelay());
        request.attributes().put(FaultInjectionFilter.ACTIVE, active);
        return active;
    }

    /** Every matching rule counts the request; the first one that fires wins. */
    Optional<Fault> fromRules(String model) {
        Fault chosen = null;
        for (int i = 0; i < properties.rules().size(); i++) {
            FaultProperties.Rule rule = properties.rules().get(i);
            if (!rule.appliesTo(model)) {
                continue;
            }
            boolean fires = rule.every() != null
                    ? seen.get(i).incrementAndGet() % rule.every() == 0
                    : random.getAsDouble() < rule.probability();
            if (fires && chosen == null) {
                chosen = new Fault(rule.kind(), rule.parameter());
            }
        }
        return Optional.ofNullable(chosen);
    }
}
