package dev.genaiplatform.guardrails.detection;

/**
 * One piece of text that will reach a model, and where it sits in the request.
 *
 * @param messageIndex the message it belongs to, -1 for text outside the messages (tools, schema, stop, user)
 * @param field        its path in the command, e.g. {@code messages[1].toolCalls[0].arguments}
 * @param text         the text as the client sent it (never null)
 * @param source       who wrote it: a message's role ({@code system}, {@code user}, {@code assistant},
 *                     {@code tool}), {@code tool-call} (arguments the model produced), {@code tool-definition},
 *                     or {@code request} (schema, stop, user field). The injection check reads untrusted
 *                     sources only.
 */
public record CheckedText(int messageIndex, String field, String text, String source) {

    public CheckedText {
        text = text == null ? "" : text;
        source = source == null ? "user" : source;
    }

    /** A text from the user. */
    public CheckedText(int messageIndex, String field, String text) {
        this(messageIndex, field, text, "user");
    }
}
