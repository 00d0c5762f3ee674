package dev.genaiplatform.evaluation.runs;

import java.util.Map;

/**
 * USD per 1,000 prompt and completion tokens per model, to put a cost on a run. The chat response carries usage
 * but no price, so the run prices it with this table; keep it equal to the orchestrator's and the provider's.
 *
 * @param models model name → price
 */
public record Prices(Map<String, Price> models) {

    public Prices {
        models = models == null ? Map.of() : Map.copyOf(models);
    }

    /** The simulator's own price table (infra/llm-simulator application.yml), for runs against it. */
    public static Prices simulatorDefaults() {
        return new Prices(Map.of("sim-small", new Price(0.00015, 0.0006), "sim-large", new Price(0.0025, 0.01)));
    }

    /** Null when the model has no price. */
    public Double cost(String model, int promptTokens, int completionTokens) {
        Price price = models.get(model);
        return price == null ? null : (promptTokens * price.input() + completionTokens * price.output()) / 1000.0;
    }

    /**
     * @param input  USD per 1,000 prompt tokens
     * @param output USD per 1,000 completion tokens
     */
    public record Price(double input, double output) {
    }
}
