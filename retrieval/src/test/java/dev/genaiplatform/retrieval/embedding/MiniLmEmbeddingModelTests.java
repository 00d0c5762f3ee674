package dev.genaiplatform.retrieval.embedding;

import org.junit.jupiter.api.Test;
import org.springframework.ai.embedding.EmbeddingModel;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class MiniLmEmbeddingModelTests {

    // One ONNX session per thread setting, shared by every instance in this JVM.
    private static final EmbeddingModel MODEL = new MiniLmEmbeddingModel();

    @Test
    void producesUnitLength384DimensionalVectors() {
        List<float[]> vectors = MODEL.embed(List.of("How do I reset my password?", "Quarterly revenue grew by 4%."));

        assertThat(MODEL.dimensions()).isEqualTo(384);
        assertThat(vectors).hasSize(2).allSatisfy(vector -> {
            assertThat(vector).hasSize(384);
            assertThat(norm(vector)).isCloseTo(1.0, within(1e-3));
        });
    }

    @Test
    void scoresSimilarTextsHigherThanUnrelatedOnes() {
        float[] question = MODEL.embed("How do I reset my password?");
        float[] paraphrase = MODEL.embed("Steps to change a forgotten login password");
        float[] unrelated = MODEL.embed("Quarterly revenue grew by four percent.");

        double related = dot(question, paraphrase);
        double other = dot(question, unrelated);

        assertThat(related).isGreaterThan(0.5);
        assertThat(other).isLessThan(0.2);
        assertThat(related).isGreaterThan(other + 0.3);
    }

    @Test
    void embedsABatchInRequestOrder() {
        float[] alone = MODEL.embed("Sourdough starter");
        List<float[]> batch = MODEL.embed(List.of("Kafka partitions", "Sourdough starter"));

        assertThat(dot(batch.get(1), alone)).isCloseTo(1.0, within(1e-4));
        assertThat(dot(batch.get(0), alone)).isLessThan(0.9);
    }

    @Test
    void everyThreadSettingGivesTheVectorsOfLangchain4jsDefaultSession() {
        var reference = new dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel();
        String text = "Consumers commit offsets after processing a batch of records.";
        float[] expected = reference.embed(text).content().vector();

        for (var threads : List.of(new MiniLmEmbeddingModel.Threads(1, false, 1), new MiniLmEmbeddingModel.Threads(2, false, 2),
                new MiniLmEmbeddingModel.Threads(2, true, 2))) {
            float[] vector = new MiniLmEmbeddingModel(threads).embed(text);
            assertThat(dot(vector, expected)).as(threads.toString()).isCloseTo(1.0, within(1e-5));
        }
    }

    @Test
    void refusesAThreadSettingWithoutThreads() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new MiniLmEmbeddingModel.Threads(0, false, 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }

    private static double norm(float[] vector) {
        return Math.sqrt(dot(vector, vector));
    }
}
