package dev.genaiplatform.guardrails.detection;

/**
 * One piece of text that will reach a model, and where it sits in the request.
 *
 * @param messageIndex the message it belongs to, -1 for text outside the messages (tools, schema, stop, user)
 * @param field        its path in the command, e.g. {@code messages[1].toolCalls[0].arguments}
 * @param text         the text as the client sent it (never null)
 */
public record CheckedText(int messageIndex, String field, String text) {

    public CheckedText {
        text = text == null ? "" : text;
    }
}
