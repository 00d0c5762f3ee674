package dev.genaiplatform.retrieval.search;

import dev.genaiplatform.retrieval.embedding.MiniLmEmbeddingModel;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.ai.document.Document;
import org.springframework.ai.vectorstore.SearchRequest;
import org.springframework.ai.vectorstore.filter.FilterExpressionBuilder;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The index on disk: what a write publishes survives a restart, and a replace is seen whole or not at all. */
class DurableIndexTests {

    private static final MiniLmEmbeddingModel MODEL = new MiniLmEmbeddingModel();
    private static final FilterExpressionBuilder WHERE = new FilterExpressionBuilder();

    @Test
    void chunksSurviveClosingAndReopeningTheIndexFolderAndDeletesDoToo(@TempDir Path folder) throws Exception {
        try (var store = open(folder)) {
            store.add(List.of(doc("a#0", "Compost needs green and brown material", "a.md", "v1"),
                    doc("b#0", "Sourdough starter eats flour", "b.md", "v1")));
            store.delete(WHERE.eq("documentPath", "b.md").build());
        }

        try (var reopened = open(folder)) {
            assertThat(reopened.size()).isEqualTo(1);
            assertThat(reopened.similaritySearch(SearchRequest.builder().query("compost").topK(3).build()))
                    .extracting(Document::getId).containsExactly("a#0");
        }
    }

    @Test
    void aSearchDuringReplacementSeesTheOldVersionOrTheNewOneNeverBothNorNeither(@TempDir Path folder) throws Exception {
        try (var store = open(folder)) {
            store.add(version("v0"));
            AtomicBoolean replacing = new AtomicBoolean(true);
            ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
            Thread searcher = Thread.ofPlatform().start(() -> {
                while (replacing.get()) {
                    List<Document> found = store.similaritySearch(SearchRequest.builder().query("garden gate code").topK(20).build());
                    long versions = found.stream().map(d -> d.getMetadata().get("version")).distinct().count();
                    if (found.size() != 5 || versions != 1) {
                        violations.add(found.size() + " chunks of " + versions + " versions");
                    }
                }
            });
            for (int v = 1; v <= 8; v++) {
                var prepared = store.prepare(version("v" + v), done -> { });
                store.replace(WHERE.eq("documentPath", "gate.md").build(), prepared);
            }
            replacing.set(false);
            searcher.join();

            assertThat(violations).isEmpty();
            assertThat(store.count(WHERE.eq("version", "v8").build())).isEqualTo(5);
            assertThat(store.size()).isEqualTo(5);
        }
    }

    private static List<Document> version(String version) {
        List<Document> chunks = new ArrayList<>();
        IntStream.range(0, 5).forEach(i -> chunks.add(doc("gate.md#" + version + "#" + i,
                "The garden gate code, part " + i + ", of version " + version, "gate.md", version)));
        return chunks;
    }

    private static LuceneHybridVectorStore open(Path folder) throws Exception {
        return new LuceneHybridVectorStore(MODEL, new HybridSearchSettings(50, 5, 60, 16), FSDirectory.open(folder));
    }

    private static Document doc(String id, String text, String path, String version) {
        return Document.builder().id(id).text(text).metadata(Map.of("documentPath", path, "version", version)).build();
    }
}
