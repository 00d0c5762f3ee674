package dev.genaiplatform.retrieval.ingest;

import java.math.BigDecimal;

/**
 * File attributes (OpenAI allows strings, numbers and booleans) as index keywords. Indexing and filtering both go
 * through {@link #normalise}, so {@code 2}, {@code 2.0} and {@code "2"} all compare equal, and {@code true} equals
 * {@code "true"}. Only equality is supported: a keyword index cannot order numbers.
 */
public final class AttributeValues {

    private AttributeValues() {
    }

    public static String normalise(Object value) {
        return switch (value) {
            case null -> "";
            case Number number -> new BigDecimal(number.toString()).stripTrailingZeros().toPlainString();
            default -> String.valueOf(value);
        };
    }
}
