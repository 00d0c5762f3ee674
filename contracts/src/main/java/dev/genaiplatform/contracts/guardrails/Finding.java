package dev.genaiplatform.contracts.guardrails;

/**
 * One thing a detector found. It never carries the matched text itself, so findings are safe to log.
 *
 * @param detector     name of the detector that fired, e.g. {@code pii}, {@code ner}, {@code injection-rules}
 * @param category     what was found, e.g. {@code EMAIL_ADDRESS}, {@code PERSON}, {@code IBAN_CODE},
 *                     {@code PROMPT_INJECTION}
 * @param messageIndex index of the message in the command's list; -1 when the text is not part of a message
 *                     (a tool definition, the response format, a stop sequence, the user field)
 * @param start        start offset (inclusive) in the original text of {@code field}, -1 when not a span
 * @param end          end offset (exclusive) in the original text of {@code field}, -1 when not a span
 * @param field        where the text was, as a path into the command: {@code messages[2].content},
 *                     {@code messages[1].toolCalls[0].arguments}, {@code tools[0].description},
 *                     {@code responseFormatSchema}, {@code stop[1]}, {@code user}; null in findings of
 *                     producers that predate it (then it is {@code messages[messageIndex].content})
 */
public record Finding(String detector, String category, int messageIndex, int start, int end, String field) {

    /** A finding in a message's content. */
    public Finding(String detector, String category, int messageIndex, int start, int end) {
        this(detector, category, messageIndex, start, end,
                messageIndex < 0 ? null : "messages[" + messageIndex + "].content");
    }
}
