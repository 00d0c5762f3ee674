package dev.genaiplatform.simulator.faults;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;
import java.util.List;

/**
 * Faults injected without being asked for, under {@code platform.simulator.faults}, for chaos demos; a
 * request can always ask for one with the {@code x-sim-fault} header, which wins over these rules. No
 * rules by default: the simulator fails only when told to.
 *
 * @param rules           checked in order for every chat completion that passed the rate limits; the first
 *                        rule that fires injects its fault
 * @param retryAfter      the {@code Retry-After} of {@code unavailable} and {@code rate-limit-storm} when no
 *                        parameter gives one
 * @param firstTokenDelay the extra wait of {@code slow-first-token} when no parameter gives one
 * @param tokenDelay      the wait before each token of {@code slow-tokens} when no parameter gives one
 */
@ConfigurationProperties("platform.simulator.faults")
public record FaultProperties(List<Rule> rules, @DefaultValue("1s") Duration retryAfter,
                              @DefaultValue("3s") Duration firstTokenDelay,
                              @DefaultValue("500ms") Duration tokenDelay) {

    public FaultProperties {
        rules = rules == null ? List.of() : List.copyOf(rules);
        if (retryAfter.isNegative() || firstTokenDelay.isNegative() || tokenDelay.isNegative()) {
            throw new IllegalArgumentException("platform.simulator.faults: durations must not be negative");
        }
    }

    /**
     * One way to inject a fault. Set exactly one of {@code probability} and {@code every}.
     *
     * @param model       the model id it applies to; unset, every model
     * @param kind        the fault, by its header name (e.g. {@code unavailable})
     * @param probability chance (0..1) that a request gets the fault
     * @param every       every n-th request to the model gets the fault (1 means all of them)
     * @param parameter   the fault's parameter, as in the header; unset, its default
     */
    public record Rule(String model, FaultKind kind, Double probability, Integer every, Integer parameter) {

        public Rule {
            if (kind == null) {
                throw new IllegalArgumentException("platform.simulator.faults.rules: each rule needs a kind");
            }
            if ((probability == null) == (every == null)) {
                throw new IllegalArgumentException("platform.simulator.faults.rules: rule '" + kind.wireName()
                        + "' needs exactly one of probability and every");
            }
            if (probability != null && (probability < 0 || probability > 1)) {
                throw new IllegalArgumentException("platform.simulator.faults.rules: probability must be within 0..1");
            }
            if (every != null && every < 1) {
                throw new IllegalArgumentException("platform.simulator.faults.rules: every must be at least 1");
            }
            new Fault(kind, parameter); // the same parameter checks as the header's
        }

        boolean appliesTo(String modelId) {
            return model == null || model.equals(modelId);
        }
    }
}
