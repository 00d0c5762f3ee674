package dev.genaiplatform.simulator.answer;

import java.util.List;

/**
 * What the simulated model says.
 *
 * @param text      the answer: quoted sentences each followed by {@code [n]}, or the refusal
 * @param citations the passage numbers cited, in the order they appear in the text (repeats kept)
 * @param quotes    the quoted sentences in the order of the text, each with its passage; empty for the
 *                  refusal. Structured output and varied wording are built from these.
 */
public record GroundedAnswer(String text, List<Integer> citations, List<Quote> quotes) {

    /** One sentence quoted word for word from passage {@code passage}, whose header names {@code source}. */
    public record Quote(String text, int passage, String source) {
    }

    public GroundedAnswer {
        citations = List.copyOf(citations);
        quotes = List.copyOf(quotes);
    }

    public GroundedAnswer(String text, List<Integer> citations) {
        this(text, citations, List.of());
    }

    public boolean grounded() {
        return !citations.isEmpty();
    }
}
