package dev.genaiplatform.contracts.chat;

import java.util.Map;

/**
 * What produced one answer: enough to trace any result, good or bad, back to the configuration behind it and to
 * compare before and after a change.
 *
 * @param promptVersion     the prompt template's name and version, e.g. {@code grounded-answer@v3}
 * @param servedModel       the model that actually answered (after routing and any fallback)
 * @param routeRule         the routing rule that chose it ({@code explicit} when the client named a model)
 * @param cache             {@code hit}, {@code semantic-hit}, {@code miss} or {@code bypass}
 * @param retrievalSettings the retrieval knobs in force (top-k, strategy, re-ranker, stores), as strings
 * @param experimentArm     the A/B experiment and arm, e.g. {@code prompt-v3-vs-v4:B}; null outside experiments
 * @param conversationId    the conversation the request belongs to, when the client named one
 * @param userId            the end user, when the client named one
 */
public record RequestProvenance(
        String promptVersion,
        String servedModel,
        String routeRule,
        String cache,
        Map<String, String> retrievalSettings,
        String experimentArm,
        String conversationId,
        String userId) {
}
