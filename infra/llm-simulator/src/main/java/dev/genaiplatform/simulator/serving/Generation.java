package dev.genaiplatform.simulator.serving;

import dev.genaiplatform.simulator.model.ModelProfile;
import dev.genaiplatform.simulator.tokens.TokenPiece;

import java.util.ArrayList;
import java.util.List;

/**
 * One completion to serve: which model, how big the prompt is, and the output it will emit.
 *
 * @param model        the profile whose speed and limits apply
 * @param promptTokens the prompt's size: what prefill reads and the KV cache holds
 * @param output       the pieces to emit, in order
 * @param finishReason why the output ends where it does
 */
public record Generation(ModelProfile model, int promptTokens, List<TokenPiece> output, FinishReason finishReason) {

    public Generation {
        output = List.copyOf(output);
    }

    /**
     * The answer fitted into the token limits: at most {@code maxTokens} (when given) and at most what the
     * context window leaves after the prompt. A cut answer ends with {@link FinishReason#LENGTH}, as a real
     * model's does; a piece is never split.
     */
    public static Generation fit(ModelProfile model, int promptTokens, List<TokenPiece> answer, Integer maxTokens) {
        int limit = model.contextWindow() - promptTokens;
        if (maxTokens != null) {
            limit = Math.min(limit, maxTokens);
        }
        List<TokenPiece> output = new ArrayList<>();
        int used = 0;
        for (TokenPiece piece : answer) {
            if (used + piece.tokens() > limit) {
                return new Generation(model, promptTokens, output, FinishReason.LENGTH);
            }
            output.add(piece);
            used += piece.tokens();
        }
        return new Generation(model, promptTokens, output, FinishReason.STOP);
    }

    public int completionTokens() {
        return output.stream().mapToInt(TokenPiece::tokens).sum();
    }
}
