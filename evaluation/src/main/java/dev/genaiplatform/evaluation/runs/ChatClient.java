package dev.genaiplatform.evaluation.runs;

import dev.genaiplatform.evaluation.golden.GoldenCase;

/** Asks the platform one case, the way a client would. */
public interface ChatClient {

    /**
     * @param goldenCase the conversation (and tools) to send
     * @param options    model, experiment arm, seed
     * @return the answer; never throws for an HTTP error, which is part of what is measured
     */
    ChatAnswer ask(GoldenCase goldenCase, CallOptions options);

    /**
     * @param model         the client-facing model name
     * @param experimentArm an arm to force (header {@code X-Platform-Experiment-Arm}), or null
     * @param seed          sent as OpenAI's {@code seed}; a different one per repetition
     * @param maxTokens     sent as {@code max_tokens} when not null
     */
    record CallOptions(String model, String experimentArm, int seed, Integer maxTokens) {
    }
}
