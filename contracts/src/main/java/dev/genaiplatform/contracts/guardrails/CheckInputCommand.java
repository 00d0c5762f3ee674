package dev.genaiplatform.contracts.guardrails;

import java.util.List;

/**
 * Asks guardrails to check the messages of a chat request before any of them reaches a model.
 *
 * @param requestId the chat request this check belongs to
 * @param messages  the conversation as the client sent it, in order
 */
public record CheckInputCommand(String requestId, List<ChatMessage> messages) {
}
