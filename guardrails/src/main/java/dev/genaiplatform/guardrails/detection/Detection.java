package dev.genaiplatform.guardrails.detection;

/**
 * What a detector found. It carries positions, never the matched text, so it is safe to log and to send.
 */
public sealed interface Detection {

    String detector();

    String category();

    /** Index into the list of {@link CheckedText}s the detector was given. */
    int textIndex();

    /**
     * A span of one text: personal data, an instruction, a secret.
     *
     * @param start inclusive offset in the original text (UTF-16 index, as {@link String#substring})
     * @param end   exclusive offset in the original text
     */
    record Span(String detector, String category, int textIndex, int start, int end) implements Detection {

        public Span {
            if (start < 0 || end <= start) {
                throw new IllegalArgumentException("a span needs 0 <= start < end, was " + start + ".." + end);
            }
        }
    }

    /**
     * A score for one text, e.g. the injection classifier's probability; the policy's threshold decides.
     */
    record Score(String detector, String category, int textIndex, double score) implements Detection {
    }

    /**
     * The request must not reach a model at all, whatever the policy's actions (the size limit).
     *
     * @param textIndex the text where the detector fired (for a whole-request check, where the limit was crossed)
     * @param reason    a sentence the client may see
     */
    record Block(String detector, String category, int textIndex, String reason) implements Detection {
    }
}
