package dev.genaiplatform.evaluation.scoring;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class GroundednessTests {

    private static final String RAG = "Keyword search (BM25) wins on exact terms, names and codes; vector search wins on paraphrase.";
    private static final String KEYS = "API keys are stored as SHA-256 hashes and compared in constant time.";

    /** Two documents whose whole text is the passage. */
    private static final PassageSource PASSAGES = new PassageSource() {
        private final Map<String, String> docs = Map.of("rag.md", RAG, "keys.md", KEYS);

        @Override
        protected Optional<String> document(String path) {
            return Optional.ofNullable(docs.get(path));
        }
    };
    private static final CitedPassage RAG_1 = new CitedPassage(1, "rag.md", 0, RAG.length());
    private static final CitedPassage KEYS_2 = new CitedPassage(2, "keys.md", 0, KEYS.length());

    @Test
    void aSentenceQuotedFromItsCitedPassageIsSupported() {
        Groundedness result = Groundedness.of("Vector search wins on paraphrase, keyword search on exact terms. [1]",
                List.of(RAG_1), PASSAGES);
        assertThat(result.sentences()).isEqualTo(1);
        assertThat(result.score()).isEqualTo(1.0);
    }

    @Test
    void aSentenceCitingTheWrongPassageIsNotSupportedEvenIfAnotherCitedPassageWouldBe() {
        // the claim is in [2], but the sentence cites [1]
        Groundedness result = Groundedness.of("Keys are stored as SHA-256 hashes in constant time. [1]",
                List.of(RAG_1, KEYS_2), PASSAGES);
        assertThat(result.score()).isZero();
        assertThat(result.unsupported()).containsExactly("Keys are stored as SHA-256 hashes in constant time.");
    }

    @Test
    void aSentenceWithoutMarkerMayBeSupportedByAnyCitedPassage() {
        Groundedness result = Groundedness.of("Vector search wins on paraphrase. Keys are hashed with SHA-256 in constant time. [2]",
                List.of(RAG_1, KEYS_2), PASSAGES);
        assertThat(result.sentences()).isEqualTo(2);
        assertThat(result.score()).isEqualTo(1.0);
    }

    @Test
    void anInventedSentenceLowersTheScoreAndIsReported() {
        Groundedness result = Groundedness.of(
                "Vector search wins on paraphrase. [1] The platform stores every key in MongoDB with daily backups. [1]",
                List.of(RAG_1), PASSAGES);
        assertThat(result.sentences()).isEqualTo(2);
        assertThat(result.supported()).isEqualTo(1);
        assertThat(result.unsupported()).singleElement().asString().contains("MongoDB");
    }

    @Test
    void shortSentencesAreNotJudgedAndNoCitationMeansNothingSupports() {
        assertThat(Groundedness.of("Yes. [1]", List.of(RAG_1), PASSAGES).score()).isNull();
        assertThat(Groundedness.of("Vector search wins on paraphrase.", List.of(), PASSAGES).score()).isZero();
    }

    @Test
    void splitsSentencesKeepingTrailingMarkers() {
        assertThat(Groundedness.sentences("First one here. [1] Second one! [2][3] Third?"))
                .containsExactly("First one here. [1]", "Second one! [2][3]", "Third?");
    }

    @Test
    void readsPassagesFromTheDocsCorpusByOffsets() {
        PassageSource corpus = new PassageSource();
        assertThat(corpus.text(new CitedPassage(1, "architecture.md", 0, 14))).contains("# Architecture");
        assertThat(corpus.text(new CitedPassage(1, "architecture.md", 0, 10_000_000))).isEmpty();
        assertThat(corpus.text(new CitedPassage(1, "../pom.xml", 0, 1))).isEmpty();
    }
}
