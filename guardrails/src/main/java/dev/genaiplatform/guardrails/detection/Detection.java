package dev.genaiplatform.guardrails.detection;

import dev.genaiplatform.contracts.guardrails.Finding;

/**
 * What a detector found. It carries positions, never the matched text, so it is safe to log and to send.
 */
public sealed interface Detection {

    String detector();

    String category();

    int messageIndex();

    /** The wire form of this detection. */
    Finding toFinding();

    /**
     * A span of one message to replace with {@code <CATEGORY>}.
     *
     * @param start inclusive offset in the original message text (UTF-16 index, as {@link String#substring})
     * @param end   exclusive offset in the original message text
     */
    record Mask(String detector, String category, int messageIndex, int start, int end) implements Detection {

        public Mask {
            if (start < 0 || end <= start) {
                throw new IllegalArgumentException("a mask needs 0 <= start < end, was " + start + ".." + end);
            }
        }

        @Override
        public Finding toFinding() {
            return new Finding(detector, category, messageIndex, start, end);
        }
    }

    /**
     * The request must not reach a model at all.
     *
     * @param messageIndex the message that made the detector fire (for a whole-conversation check, the
     *                     message where the limit was crossed)
     * @param reason       a sentence the client may see
     */
    record Block(String detector, String category, int messageIndex, String reason) implements Detection {

        @Override
        public Finding toFinding() {
            return new Finding(detector, category, messageIndex, -1, -1);
        }
    }
}
