package dev.genaiplatform.simulator.answer;

import java.util.List;

/**
 * The sampling parameters of a request, already range-checked.
 *
 * @param temperature 0..2, null when absent (the same as 0): 0 gives the one deterministic wording, above
 *                    0 the wording varies (see {@link WordingVariation})
 * @param topP        0..1, null when absent (the same as 1): the share of the wording variants that may be
 *                    drawn, so a small {@code top_p} keeps the answer close to the deterministic one
 * @param seed        makes a varied wording reproducible; null: a fresh draw per request
 * @param stop        up to four sequences; the output ends before the first one that occurs
 */
public record Sampling(Double temperature, Double topP, Long seed, List<String> stop) {

    public static final Sampling DETERMINISTIC = new Sampling(null, null, null, List.of());

    public Sampling {
        stop = stop == null ? List.of() : List.copyOf(stop);
    }

    /** The parameters choice {@code choice} of an {@code n > 1} request samples with: the seed moved on by it. */
    Sampling forChoice(int choice) {
        return choice == 0 || seed == null ? this : new Sampling(temperature, topP, seed + choice, stop);
    }

    public boolean varies() {
        return temperature != null && temperature > 0;
    }
}
