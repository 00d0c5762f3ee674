package dev.genaiplatform.simulator.serving;

import dev.genaiplatform.simulator.model.ModelProfile;
import dev.genaiplatform.simulator.tokens.TokenPiece;
import org.junit.jupiter.api.Test;

import java.util.List;

import static com.knuddels.jtokkit.api.EncodingType.O200K_BASE;
import static org.assertj.core.api.Assertions.assertThat;

class GenerationTests {

    /** A 100-token context window. */
    private static final ModelProfile MODEL = new ModelProfile("sim-test", "test", 100, null, null, O200K_BASE);
    private static final List<TokenPiece> ANSWER = List.of(new TokenPiece("One", 1), new TokenPiece(" 👋🏽", 3),
            new TokenPiece(" two", 1), new TokenPiece(".", 1));

    @Test
    void keepsTheWholeAnswerWhenItFits() {
        Generation generation = Generation.fit(MODEL, 10, ANSWER, null);

        assertThat(generation.output()).isEqualTo(ANSWER);
        assertThat(generation.completionTokens()).isEqualTo(6);
        assertThat(generation.finishReason()).isEqualTo(FinishReason.STOP);
    }

    @Test
    void cutsAtMaxTokensWithoutSplittingAPiece() {
        Generation generation = Generation.fit(MODEL, 10, ANSWER, 3);

        assertThat(generation.output()).extracting(TokenPiece::text).containsExactly("One");
        assertThat(generation.finishReason()).isEqualTo(FinishReason.LENGTH);
    }

    @Test
    void cutsWhereTheContextWindowEnds() {
        // the test profile's window is 100 tokens: a 95-token prompt leaves 5
        Generation generation = Generation.fit(MODEL, 95, ANSWER, null);

        assertThat(generation.completionTokens()).isEqualTo(5);
        assertThat(generation.finishReason()).isEqualTo(FinishReason.LENGTH);
    }
}
