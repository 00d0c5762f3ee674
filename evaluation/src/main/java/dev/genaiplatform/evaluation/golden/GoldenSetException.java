package dev.genaiplatform.evaluation.golden;

/** A golden set that does not exist or does not parse; the message says which and where. */
public class GoldenSetException extends RuntimeException {

    private final boolean unknown;

    private GoldenSetException(String message, boolean unknown, Throwable cause) {
        super(message, cause);
        this.unknown = unknown;
    }

    public static GoldenSetException unknown(String name, Iterable<String> known) {
        return new GoldenSetException("no golden set named '" + name + "'; known sets: " + String.join(", ", known),
                true, null);
    }

    public static GoldenSetException invalid(String where, String problem, Throwable cause) {
        return new GoldenSetException(where + ": " + problem, false, cause);
    }

    /** True when the set does not exist (a 404 to an API caller), false when it does not parse (a 400). */
    public boolean isUnknown() {
        return unknown;
    }
}
