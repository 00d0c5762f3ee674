package dev.genaiplatform.orchestrator.routing;

import java.util.Locale;

/**
 * Which model serves a request and why.
 *
 * @param requested  the name the client sent ({@code auto} or a model)
 * @param model      the client-facing model name chosen
 * @param rule       the rule that chose it: {@code explicit}, {@code budget-downgrade}, {@code needs-tools},
 *                   {@code needs-json}, {@code long-context}, {@code tier}, {@code complex}, {@code simple}
 * @param complexity the cheap complexity estimate in [0, 1] (0 when not computed)
 */
public record RouteDecision(String requested, String model, String rule, double complexity) {

    /** The {@code X-Platform-Route} value, e.g. {@code sim-small; rule=simple; complexity=0.12}. */
    public String header() {
        return String.format(Locale.ROOT, "%s; rule=%s; complexity=%.2f", this.model, this.rule, this.complexity);
    }

    public boolean routed() {
        return !"explicit".equals(this.rule);
    }
}
