package dev.genaiplatform.contracts.guardrails;

/**
 * One thing a detector found. It never carries the matched text itself, so findings are safe to log.
 *
 * @param detector     name of the detector that fired, e.g. {@code pii} or {@code input-size}
 * @param category     what was found, e.g. {@code EMAIL_ADDRESS}, {@code PHONE_NUMBER}, {@code CARD_NUMBER}
 * @param messageIndex index of the message in the command's list
 * @param start        start offset (inclusive) in the original message text, -1 when not a span
 * @param end          end offset (exclusive) in the original message text, -1 when not a span
 */
public record Finding(String detector, String category, int messageIndex, int start, int end) {
}
