package dev.genaiplatform.retrieval.search;

import dev.genaiplatform.retrieval.embedding.MiniLmEmbeddingModel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.ai.document.Document;
import org.springframework.ai.vectorstore.SearchRequest;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Spring AI VectorStore contract: upsert by id, delete by id and by filter, metadata round trip. */
class LuceneHybridVectorStoreTests {

    private final LuceneHybridVectorStore store =
            new LuceneHybridVectorStore(new MiniLmEmbeddingModel(), new HybridSearchSettings(50, 5, 60, 2));

    @AfterEach
    void close() throws Exception {
        store.close();
    }

    @Test
    void addsInBatchesAndRoundTripsMetadataTypes() {
        store.add(List.of(
                doc("a#0", "Kafka partitions order records", "a.md", 0),
                doc("a#1", "Consumers commit offsets", "a.md", 40),
                doc("b#0", "Bread needs flour and water", "b.md", 7)));

        Document top = search("flour water bread", 1).getFirst();

        assertThat(store.size()).isEqualTo(3);
        assertThat(top.getId()).isEqualTo("b#0");
        assertThat(top.getText()).isEqualTo("Bread needs flour and water");
        assertThat(top.getMetadata()).containsEntry("documentPath", "b.md").containsEntry("startOffset", 7);
        assertThat(top.getScore()).isPositive();
    }

    @Test
    void addingAnExistingIdReplacesTheDocument() {
        store.add(List.of(doc("a#0", "old text about compost", "a.md", 0)));
        store.add(List.of(doc("a#0", "new text about sourdough", "a.md", 0)));

        assertThat(store.size()).isEqualTo(1);
        assertThat(search("compost sourdough", 5)).singleElement()
                .satisfies(document -> assertThat(document.getText()).isEqualTo("new text about sourdough"));
    }

    @Test
    void deletesByIdAndByFilterExpression() {
        store.add(List.of(doc("a#0", "alpha", "a.md", 0), doc("a#1", "beta", "a.md", 10),
                doc("b#0", "gamma", "b.md", 0), doc("c#0", "delta", "c.md", 0)));

        store.delete(List.of("a#1"));
        store.delete("documentPath == 'b.md' || documentPath == 'nothing.md'");

        assertThat(store.size()).isEqualTo(2);
        assertThat(search("alpha beta gamma delta", 10)).extracting(Document::getId)
                .containsExactlyInAnyOrder("a#0", "c#0");
    }

    @Test
    void refusesFiltersItCannotHonour() {
        assertThatThrownBy(() -> store.delete("startOffset > 3"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Unsupported filter operator");
        assertThatThrownBy(() -> store.delete("startOffset == 3"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Only string metadata");
    }

    @Test
    void aVectorStillBeingComputedIsAskedForOnlyAfterTheLexicalLegAndRanksAsAVectorHandedOn() {
        store.add(List.of(
                doc("a#0", "Kafka partitions order records", "a.md", 0),
                doc("a#1", "Consumers commit offsets", "a.md", 40),
                doc("b#0", "Bread needs flour and water", "b.md", 7)));
        SearchRequest request = SearchRequest.builder().query("how do consumers commit offsets").topK(3).build();
        float[] vector = ChunkIndex.unitLength(new MiniLmEmbeddingModel().embed(request.getQuery()));
        int[] asked = {0};

        List<Document> whileEmbedding = store.similaritySearchWhileEmbedding(request, ChunkIndex.Legs.HYBRID, () -> {
            asked[0]++;
            return vector;
        });
        List<Document> lexicalOnly = store.similaritySearchWhileEmbedding(request, ChunkIndex.Legs.LEXICAL_ONLY, () -> {
            throw new AssertionError("a lexical search needs no vector");
        });

        assertThat(asked[0]).isEqualTo(1);
        assertThat(whileEmbedding).extracting(Document::getId)
                .isEqualTo(store.similaritySearch(request, ChunkIndex.Legs.HYBRID, vector).stream().map(Document::getId).toList());
        assertThat(lexicalOnly).extracting(Document::getId).first().isEqualTo("a#1");
    }

    private List<Document> search(String query, int topK) {
        return store.similaritySearch(SearchRequest.builder().query(query).topK(topK).build());
    }

    private static Document doc(String id, String text, String path, int start) {
        return Document.builder().id(id).text(text)
                .metadata(Map.of("documentPath", path, "startOffset", start)).build();
    }
}
