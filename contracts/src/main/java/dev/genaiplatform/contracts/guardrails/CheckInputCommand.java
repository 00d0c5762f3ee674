package dev.genaiplatform.contracts.guardrails;

import java.util.List;

/**
 * Asks guardrails to check the messages of a chat request before any of them reaches a model.
 *
 * @param requestId the chat request this check belongs to
 * @param messages             the conversation as the client sent it, in order (tool calls and tool results included)
 * @param tools                the tools offered to the model: their names, descriptions and schemas reach it too
 * @param responseFormatSchema the {@code response_format} JSON schema as text, null when none
 * @param stop                 the stop sequences, empty when none
 * @param user                 OpenAI's {@code user} field, null when none
 * @param policy               the name of the tenant's guardrail policy to apply; null for the default
 * @param conversationId       the conversation, so pseudonymised values get the same pseudonyms on every turn
 *                             and answers can be restored; null when the policy does not pseudonymise
 */
public record CheckInputCommand(
        String requestId,
        List<ChatMessage> messages,
        List<ToolDefinition> tools,
        String responseFormatSchema,
        List<String> stop,
        String user,
        String policy,
        String conversationId) {

    /** A check of messages alone, with the default policy. */
    public CheckInputCommand(String requestId, List<ChatMessage> messages) {
        this(requestId, messages, List.of(), null, List.of(), null, null, null);
    }

    /** A check without a conversation id (no stable pseudonyms across turns). */
    public CheckInputCommand(String requestId, List<ChatMessage> messages, List<ToolDefinition> tools,
                             String responseFormatSchema, List<String> stop, String user, String policy) {
        this(requestId, messages, tools, responseFormatSchema, stop, user, policy, null);
    }
}
