package dev.genaiplatform.orchestrator.chat;

import dev.genaiplatform.contracts.retrieval.TextEmbedding;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class QueryEmbeddingHandOnTests {

    private static final float[] SEMANTIC = {1f, 0f};
    private static final float[] GUARDRAILS = {0f, 1f};

    @Test
    void theSemanticCachesVectorWinsWhenItsTextIsExactlyTheQuery() {
        TextEmbedding chosen = PromptPreparation.queryEmbedding("q", minilm("q", SEMANTIC), minilm("q", GUARDRAILS));

        assertThat(chosen.vector()).containsExactly(SEMANTIC);
    }

    @Test
    void guardrailsVectorIsUsedWhenTheSemanticCacheEmbeddedTheUnmaskedQuestion() {
        TextEmbedding chosen = PromptPreparation.queryEmbedding("mail <EMAIL_ADDRESS>",
                minilm("mail ada@example.com", SEMANTIC), minilm("mail <EMAIL_ADDRESS>", GUARDRAILS));

        assertThat(chosen.vector()).containsExactly(GUARDRAILS);
    }

    @Test
    void noVectorIsHandedOnForAnotherTextAnotherModelOrNone() {
        assertThat(PromptPreparation.queryEmbedding("q", minilm("q ", SEMANTIC), null)).isNull();
        assertThat(PromptPreparation.queryEmbedding("q", null,
                new TextEmbedding("text-embedding-3-small", "q", GUARDRAILS))).isNull();
        assertThat(PromptPreparation.queryEmbedding("q", null, minilm("q", new float[0]))).isNull();
        assertThat(PromptPreparation.queryEmbedding("q", null, null)).isNull();
    }

    private static TextEmbedding minilm(String text, float[] vector) {
        return new TextEmbedding(TextEmbedding.MINILM_L6_V2_Q, text, vector);
    }
}
