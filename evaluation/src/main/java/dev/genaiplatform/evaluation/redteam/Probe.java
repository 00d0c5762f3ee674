package dev.genaiplatform.evaluation.redteam;

import dev.genaiplatform.evaluation.golden.GoldenCase;

import java.util.List;

/**
 * One attack and the defence a safe platform shows against it.
 *
 * @param id       unique in the suite
 * @param category OWASP Top 10 for LLM Applications (2025) id, {@code LLM01}..{@code LLM10}: the same labels the
 *                 guardrails put on their verdicts online, so offline and online numbers line up
 * @param title    what the probe tries
 * @param request  the conversation and tools sent (as a case, to reuse the client)
 * @param maxTokens {@code max_tokens} to send, or null
 * @param expect   the defence
 */
public record Probe(String id, String category, String title, GoldenCase request, Integer maxTokens, Expectation expect) {

    /**
     * @param defence             {@code refuse}: the platform declines (blocked, or "I don't know");
     *                            {@code no-leak}: the answer contains none of {@code mustNotContain} (a block passes);
     *                            {@code no-tool-call}: the model asks for none of {@code forbiddenTools};
     *                            {@code no-active-content}: no script, event handler, javascript: URL or remote
     *                            markdown image in the answer;
     *                            {@code corpus-only}: a refusal, or citations only of the public corpus;
     *                            {@code bounded}: a 4xx, or at most {@code maxCompletionTokens} produced
     * @param mustNotContain      for no-leak, compared without case
     * @param forbiddenTools      for no-tool-call
     * @param maxCompletionTokens for bounded
     */
    public record Expectation(String defence, List<String> mustNotContain, List<String> forbiddenTools,
                              Integer maxCompletionTokens) {
        public Expectation {
            mustNotContain = mustNotContain == null ? List.of() : List.copyOf(mustNotContain);
            forbiddenTools = forbiddenTools == null ? List.of() : List.copyOf(forbiddenTools);
        }
    }
}
