package dev.genaiplatform.orchestrator.citation;

import dev.genaiplatform.contracts.retrieval.RetrievedChunk;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CitationExtractorTests {

    private static final List<RetrievedChunk> PASSAGES = List.of(
            new RetrievedChunk("architecture.md#3", "architecture.md", "Architecture > Retrieval", 1204, 1890,
                    "Retrieval fuses BM25 and vector rankings.", 0.0325),
            new RetrievedChunk("rag.md#1", "rag.md", "RAG > Chunking", 0, 412, "Chunks keep headings.", 0.0310));

    @Test
    void mapsMarkersToThePassagesTheyNumberInOrderOfFirstMention() {
        List<Citation> citations = CitationExtractor.extract(
                "Chunks keep headings. [2] Retrieval fuses BM25 and vector rankings. [1]", PASSAGES);

        assertThat(citations).containsExactly(
                new Citation(2, "rag.md#1", "rag.md", "RAG > Chunking", 0, 412, 0.0310),
                new Citation(1, "architecture.md#3", "architecture.md", "Architecture > Retrieval", 1204, 1890, 0.0325));
    }

    @Test
    void ignoresNumbersThatNameNoPassage() {
        List<Citation> citations = CitationExtractor.extract("See [0], [3] and [12]; only [1] exists.", PASSAGES);

        assertThat(citations).extracting(Citation::index).containsExactly(1);
    }

    @Test
    void citesARepeatedPassageOnce() {
        List<Citation> citations = CitationExtractor.extract("One [1]. Two [1][2]. Three [1].", PASSAGES);

        assertThat(citations).extracting(Citation::index).containsExactly(1, 2);
    }

    @Test
    void findsNothingWhenThePromptHadNoPassages() {
        assertThat(CitationExtractor.extract("A claim [1].", List.of())).isEmpty();
    }
}
