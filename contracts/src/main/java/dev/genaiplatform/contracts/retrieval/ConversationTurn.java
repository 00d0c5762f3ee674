package dev.genaiplatform.contracts.retrieval;

/**
 * One earlier turn of the conversation a search serves, so retrieval can turn a follow-up ("and what if it is
 * down?") into a question that stands alone.
 *
 * @param role    {@code user} or {@code assistant} (others are ignored)
 * @param content what was said
 */
public record ConversationTurn(String role, String content) {
}
