package dev.genaiplatform.guardrails.detection;

/**
 * Gives pseudonymised values their stand-ins: the same value of the same category gets the same pseudonym,
 * so the model can still tell two people apart and the answer can be restored for the user.
 */
@FunctionalInterface
public interface Pseudonyms {

    /** The pseudonym for {@code value}, e.g. {@code <PERSON_2>}. */
    String pseudonymFor(String category, String value);

    /** Pseudonyms numbered per request, kept in memory only (nothing to restore from later). */
    static Pseudonyms perRequest() {
        var numbered = new java.util.HashMap<String, String>();
        var counters = new java.util.HashMap<String, Integer>();
        return (category, value) -> numbered.computeIfAbsent(category + '\u0000' + value,
                key -> "<" + category + "_" + counters.merge(category, 1, Integer::sum) + ">");
    }
}
