package dev.genaiplatform.retrieval.search;

import dev.genaiplatform.retrieval.chunking.MarkdownHeadingChunker;
import dev.genaiplatform.retrieval.citation.Provenance;
import dev.genaiplatform.retrieval.embedding.MiniLmEmbeddingModel;
import dev.genaiplatform.retrieval.ingest.MarkdownDocumentLoader;
import dev.genaiplatform.retrieval.ingest.SourceDocument;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.ai.document.Document;
import org.springframework.ai.vectorstore.SearchRequest;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fixture corpus (src/test/resources/fixture-docs: plant care, card validation, dead letters, sourdough)
 * through the real pipeline: chunker, MiniLM, Lucene, RRF. Each query has one obviously right document.
 */
class HybridSearchQualityTests {

    private static LuceneHybridVectorStore store;
    private static List<SourceDocument> sources;

    @BeforeAll
    static void indexTheFixtureCorpus() {
        sources = new MarkdownDocumentLoader(new PathMatchingResourcePatternResolver(), List.of())
                .load("classpath*:fixture-docs/**/*.md");
        store = new LuceneHybridVectorStore(new MiniLmEmbeddingModel(), new HybridSearchSettings(50, 5, 60, 32));
        MarkdownHeadingChunker chunker = new MarkdownHeadingChunker(1000);
        store.add(sources.stream().flatMap(source -> chunker.chunk(source.path(), source.text()).stream())
                .map(Provenance::toDocument).toList());
    }

    @AfterAll
    static void closeIndex() throws Exception {
        store.close();
    }

    @ParameterizedTest(name = "\"{0}\" finds {1}")
    @CsvSource({
            "Luhn,                                   payments/card-validation.md",
            "dead-letter topic,                      messaging/dead-letters.md",
            "sourdough starter flour,                sourdough.md",
            "check digit of a credit card number,    payments/card-validation.md",
            "what happens to messages that cannot be parsed, messaging/dead-letters.md",
    })
    void ranksTheObviousDocumentFirst(String query, String expectedDocument) {
        List<Document> found = search(query, 3);

        assertThat(found).isNotEmpty();
        assertThat(found.getFirst().getMetadata().get(Provenance.DOCUMENT_PATH)).as("top hit for '%s'", query)
                .isEqualTo(expectedDocument);
    }

    @Test
    void anExactRareTermWinsThroughTheLexicalLeg() {
        Document top = search("Luhn", 3).getFirst();

        assertThat(top.getId()).isEqualTo("payments/card-validation.md#0");
        assertThat(top.getMetadata()).containsEntry(LuceneHybridVectorStore.LEXICAL_RANK, 1)
                .containsEntry(Provenance.HEADING, "Card validation > Luhn checksum");
    }

    @Test
    void aParaphraseSharingNoWordWithTheCorpusIsFoundByTheVectorLegAlone() {
        List<Document> found = search("houseplant survival while on holiday", 3);

        // BM25 matched nothing at all: every hit came from the vector leg
        assertThat(found).allSatisfy(document -> assertThat(document.getMetadata())
                .doesNotContainKey(LuceneHybridVectorStore.LEXICAL_RANK)
                .containsKey(LuceneHybridVectorStore.VECTOR_RANK));
        assertThat(found.getFirst().getMetadata()).containsEntry(Provenance.DOCUMENT_PATH, "plant-care.md");
    }

    @Test
    void returnsExactProvenanceAndFusedScoresBestFirst() {
        List<Document> found = search("replay parked records", 4);

        assertThat(found).hasSizeLessThanOrEqualTo(4);
        for (Document document : found) {
            var chunk = Provenance.toRetrievedChunk(document);
            String source = sources.stream().filter(s -> s.path().equals(chunk.documentPath())).findFirst()
                    .orElseThrow().text();
            assertThat(source.substring(chunk.startOffset(), chunk.endOffset())).isEqualTo(chunk.text());
            assertThat(chunk.chunkId()).startsWith(chunk.documentPath() + "#");
        }
        assertThat(found).extracting(Document::getScore).isSortedAccordingTo((a, b) -> Double.compare(b, a));
    }

    @Test
    void answersNothingForABlankQueryOrZeroTopKAndSurvivesOddQueries() {
        assertThat(store.similaritySearch(SearchRequest.builder().query("   ").topK(3).build())).isEmpty();
        assertThat(store.similaritySearch(SearchRequest.builder().query("Luhn").topK(0).build())).isEmpty();
        assertThat(search("the and of", 3)).as("only stop words: the vector leg still answers").isNotEmpty();
        assertThat(search("Luhn ".repeat(1500), 3)).as("more terms than BooleanQuery allows").isNotEmpty();
    }

    @Test
    void filtersByDocumentPath() {
        List<Document> found = store.similaritySearch(SearchRequest.builder().query("Luhn").topK(5)
                .filterExpression("documentPath == 'sourdough.md'").build());

        assertThat(found).isNotEmpty().allSatisfy(document ->
                assertThat(document.getMetadata()).containsEntry(Provenance.DOCUMENT_PATH, "sourdough.md"));
    }

    private static List<Document> search(String query, int topK) {
        return store.similaritySearch(SearchRequest.builder().query(query).topK(topK).build());
    }
}
