package dev.genaiplatform.orchestrator.budget;

import java.util.Map;

/**
 * USD per 1,000 tokens per client-facing model ({@code platform.orchestrator.models.<name>.price.*}); the
 * simulator's own table by default, so costs are comparable with what it reports.
 */
public final class PriceTable {

    /** @param input USD per 1,000 prompt tokens; @param output USD per 1,000 completion tokens */
    public record Price(double input, double output) {
    }

    private final Map<String, Price> prices;

    public PriceTable(Map<String, Price> prices) {
        this.prices = Map.copyOf(prices);
    }

    /** The cost of one call, or null when the model has no price. */
    public Double costUsd(String model, int promptTokens, int completionTokens) {
        Price price = this.prices.get(model);
        if (price == null) {
            return null;
        }
        return (promptTokens * price.input() + completionTokens * price.output()) / 1000.0;
    }
}
