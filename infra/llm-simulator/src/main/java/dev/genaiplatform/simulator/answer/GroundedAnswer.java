package dev.genaiplatform.simulator.answer;

import java.util.List;

/**
 * What the simulated model says.
 *
 * @param text      the answer: quoted sentences each followed by {@code [n]}, or the refusal
 * @param citations the passage numbers cited, in the order they appear in the text (repeats kept)
 */
public record GroundedAnswer(String text, List<Integer> citations) {

    public GroundedAnswer {
        citations = List.copyOf(citations);
    }

    public boolean grounded() {
        return !citations.isEmpty();
    }
}
