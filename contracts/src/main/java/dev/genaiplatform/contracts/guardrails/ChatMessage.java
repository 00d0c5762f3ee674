package dev.genaiplatform.contracts.guardrails;

/**
 * One message of a conversation, as guardrails sees it.
 *
 * @param role    {@code system}, {@code user}, {@code assistant} or {@code tool}
 * @param content the text of the message
 */
public record ChatMessage(String role, String content) {
}
