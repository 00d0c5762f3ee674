package dev.genaiplatform.simulator.faults;

/**
 * One fault asked for: its kind and, for kinds that take one, a whole-number parameter (null means the
 * kind's default).
 *
 * @param kind      what goes wrong
 * @param parameter seconds, milliseconds, tokens or a chunk number, as {@link FaultKind} says; or null
 */
public record Fault(FaultKind kind, Integer parameter) {

    public Fault {
        if (parameter != null && (!kind.takesParameter() || parameter < 0)) {
            throw new IllegalArgumentException(kind.takesParameter()
                    ? "The parameter of fault '" + kind.wireName() + "' must not be negative."
                    : "Fault '" + kind.wireName() + "' takes no parameter.");
        }
    }

    /**
     * Reads a header value such as {@code unavailable}, {@code slow-first-token=3000} or
     * {@code stream-cut=5}; the message of the exception says what is wrong and lists the valid kinds.
     */
    static Fault parse(String value) {
        String text = value.strip();
        int equals = text.indexOf('=');
        String name = (equals < 0 ? text : text.substring(0, equals)).strip();
        FaultKind kind = FaultKind.byWireName(name).orElseThrow(() -> new IllegalArgumentException(
                "Unknown fault '" + name + "' in header " + FaultInjectionFilter.HEADER + ". Valid kinds: "
                + FaultKind.wireNames() + "."));
        if (equals < 0) {
            return new Fault(kind, null);
        }
        String parameter = text.substring(equals + 1).strip();
        try {
            return new Fault(kind, Integer.valueOf(parameter));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("The parameter of fault '" + name + "' must be a whole number, not '"
                    + parameter + "'.");
        }
    }
}
