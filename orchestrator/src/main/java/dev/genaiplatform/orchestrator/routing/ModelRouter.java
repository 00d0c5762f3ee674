package dev.genaiplatform.orchestrator.routing;

/**
 * Chooses the model for a request that names the route ({@code auto}); explicit names pass through. Rules, in
 * order: a tenant near its monthly budget gets the small model; tools or JSON output need the large one; so does a
 * prompt that would crowd the small model's context window; tenants of a large tier get it; otherwise the
 * complexity estimate decides. Each decision names its rule, for the response header, metadata and trace.
 */
public final class ModelRouter {

    private final RoutingSettings settings;

    public ModelRouter(RoutingSettings settings) {
        this.settings = settings;
    }

    public RoutingSettings settings() {
        return this.settings;
    }

    public boolean isRouteName(String model) {
        return this.settings.routeName().equals(model);
    }

    /**
     * @param request what the router may look at; cheap to compute before guardrails or retrieval run
     */
    public RouteDecision decide(RoutingInput request) {
        if (!isRouteName(request.requested())) {
            return new RouteDecision(request.requested(), request.requested(), "explicit", 0);
        }
        double complexity = ComplexityEstimate.of(request.question());
        String small = this.settings.smallModel();
        String large = this.settings.largeModel();
        if (request.budgetUsedFraction() >= this.settings.budgetDowngradeAt()) {
            return decision(request, small, "budget-downgrade", complexity);
        }
        if (request.usesTools()) {
            return decision(request, large, "needs-tools", complexity);
        }
        if (request.wantsJson()) {
            return decision(request, large, "needs-json", complexity);
        }
        if (request.promptTokens() > request.smallContextWindow() * this.settings.longContextFraction()) {
            return decision(request, large, "long-context", complexity);
        }
        if (request.tier() != null && this.settings.largeTiers().contains(request.tier())) {
            return decision(request, large, "tier", complexity);
        }
        return complexity >= this.settings.complexityThreshold()
                ? decision(request, large, "complex", complexity)
                : decision(request, small, "simple", complexity);
    }

    /** The key may not use the preferred model: take the other one if it may. */
    private RouteDecision decision(RoutingInput request, String preferred, String rule, double complexity) {
        if (request.allowed().test(preferred)) {
            return new RouteDecision(request.requested(), preferred, rule, complexity);
        }
        String other = preferred.equals(this.settings.smallModel()) ? this.settings.largeModel() : this.settings.smallModel();
        if (request.allowed().test(other)) {
            return new RouteDecision(request.requested(), other, rule + "+allow-list", complexity);
        }
        return new RouteDecision(request.requested(), preferred, rule, complexity);
    }

    /**
     * @param requested          the model name the client sent
     * @param question           the last user message
     * @param promptTokens       tokens of the conversation as sent
     * @param smallContextWindow the small model's context window
     * @param usesTools          the client offered tools
     * @param wantsJson          {@code response_format} asks for JSON
     * @param tier               the tenant's tier, null when unknown
     * @param budgetUsedFraction the tenant's spend this month over its budget (0 without a budget)
     * @param allowed            whether the caller's key may use a model
     */
    public record RoutingInput(String requested, String question, int promptTokens, int smallContextWindow,
                               boolean usesTools, boolean wantsJson, String tier, double budgetUsedFraction,
                               java.util.function.Predicate<String> allowed) {
    }
}
