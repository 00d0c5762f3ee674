package dev.genaiplatform.evaluation.scoring;

import dev.genaiplatform.evaluation.support.Http;
import dev.genaiplatform.evaluation.support.ReplayGateway;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Replay fixtures carry the text of every passage their answers cite, so scoring a recording never reads the
 * live docs (which other work keeps editing).
 */
class SavedPassagesTests {

    @Test
    void everyPassageAFixtureCitesIsSavedInThatFixture() throws IOException {
        Path fixtures = ReplayGateway.fixture("ci-smoke.sim-small.json").getParent();
        try (Stream<Path> files = Files.list(fixtures)) {
            for (Path fixture : files.filter(f -> f.toString().endsWith(".json")).toList()) {
                SavedPassages saved = SavedPassages.readFrom(fixture);
                for (JsonNode exchange : Http.JSON.readTree(fixture.toFile()).path("exchanges")) {
                    for (JsonNode citation : exchange.path("body").path("citations")) {
                        CitedPassage cited = new CitedPassage(citation.path("index").asInt(),
                                citation.path("documentPath").asString(), citation.path("startOffset").asInt(),
                                citation.path("endOffset").asInt());
                        assertThat(saved.text(cited)).as("%s cites %s", fixture.getFileName(), cited).isPresent()
                                .get().asString().hasSize(cited.endOffset() - cited.startOffset());
                        assertThat(saved.contains(cited.documentPath())).isTrue();
                    }
                }
            }
        }
    }

    @Test
    void theSavedTextIsUsedEvenWhereTheLiveDocHasChangedSince() {
        // fault-kinds.md gained a table row after docs-qa was recorded: the live offsets now point at other text
        CitedPassage moved = new CitedPassage(1, "fault-kinds.md", 5717, 6384);
        SavedPassages saved = SavedPassages.readFrom(ReplayGateway.fixture("docs-qa.sim-small.json"));
        assertThat(saved.text(moved)).isPresent();
        assertThat(saved.text(moved)).isNotEqualTo(new PassageSource().text(moved));
    }

    @Test
    void aCitationThatWasNotSavedHasNoTextAndAnUnknownDocumentIsNotInTheCorpus() {
        SavedPassages saved = SavedPassages.readFrom(ReplayGateway.fixture("tool-use.sim-small.json"));
        assertThat(saved.text(new CitedPassage(1, "README.md", 0, 10))).isEmpty();
        assertThat(saved.contains("README.md")).isTrue();
        assertThat(saved.contains("secrets.md")).isFalse();
    }

    @Test
    void capturedPassagesReadBackAsTheCorpusHadThem() {
        PassageSource corpus = new PassageSource() {
            @Override
            protected java.util.Optional<String> document(String path) {
                return path.equals("architecture.md") ? java.util.Optional.of("# Architecture\n\nOne request...")
                        : java.util.Optional.empty();
            }
        };
        List<CitedPassage> cited = List.of(new CitedPassage(1, "architecture.md", 0, 14),
                new CitedPassage(2, "architecture.md", 0, 14), new CitedPassage(3, "missing.md", 0, 3));
        SavedPassages saved = SavedPassages.of(SavedPassages.capture(cited, corpus));
        assertThat(saved.text(cited.get(1))).contains("# Architecture");
        assertThat(SavedPassages.capture(cited, corpus)).as("one entry per span; unreadable spans are not saved")
                .hasSize(1);
        assertThat(saved.contains("missing.md")).isFalse();
    }
}
