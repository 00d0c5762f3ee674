package dev.genaiplatform.orchestrator.prompt;

/**
 * Where one request's tokens went, against the served model's own context window: returned in the response
 * metadata so a reader can see why a turn was dropped or a passage left out.
 *
 * @param contextWindow    the model's context window
 * @param answerReserve    kept free for the answer ({@code max_tokens}, or the configured default)
 * @param tools            the tool definitions the model reads
 * @param system           the platform's instructions and the client's system messages
 * @param retrievedContext the numbered passages
 * @param history          the conversation turns kept, the question included
 * @param promptLimit      what the prompt could use: the window minus reserve and tools, capped by configuration
 * @param passagesDropped  retrieved passages left out for lack of room
 * @param turnsDropped     older turns left out for lack of room
 * @param strategy         the trimming strategy: {@code passages-best-first; drop-oldest-whole-turns}
 */
public record TokenBudget(int contextWindow, int answerReserve, int tools, int system, int retrievedContext,
                          int history, int promptLimit, int passagesDropped, int turnsDropped, String strategy) {

    public static final String STRATEGY = "passages-best-first; drop-oldest-whole-turns";
}
