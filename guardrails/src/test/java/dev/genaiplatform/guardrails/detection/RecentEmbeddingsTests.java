package dev.genaiplatform.guardrails.detection;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.output.Response;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RecentEmbeddingsTests {

    /** Embeds a text as its length, and records what it was asked. */
    private static final class CountingModel implements EmbeddingModel {
        final List<String> asked = new ArrayList<>();

        @Override
        public Response<List<Embedding>> embedAll(List<TextSegment> segments) {
            segments.forEach(segment -> asked.add(segment.text()));
            return Response.from(segments.stream().map(segment -> Embedding.from(new float[] {segment.text().length()})).toList());
        }

        @Override
        public int dimension() {
            return 1;
        }
    }

    @Test
    void aSecondClassifierReadingTheSameWindowsDoesNotEmbedThemAgain() {
        var model = new CountingModel();
        var recent = new RecentEmbeddings(model, 8);
        List<TextSegment> windows = List.of(TextSegment.from("ab"), TextSegment.from("abc"));

        var first = recent.embedAll(windows).content();
        var second = recent.embedAll(List.of(TextSegment.from("abc"), TextSegment.from("abcd"), TextSegment.from("ab"))).content();

        assertThat(model.asked).containsExactly("ab", "abc", "abcd");
        assertThat(first).extracting(embedding -> embedding.vector()[0]).containsExactly(2f, 3f);
        assertThat(second).extracting(embedding -> embedding.vector()[0]).containsExactly(3f, 4f, 2f);
    }

    @Test
    void theOldestTextIsForgottenBeyondCapacity() {
        var model = new CountingModel();
        var recent = new RecentEmbeddings(model, 2);

        recent.embed("a");
        recent.embed("bb");
        recent.embed("ccc");
        recent.embed("a");

        assertThat(model.asked).containsExactly("a", "bb", "ccc", "a");
    }
}
