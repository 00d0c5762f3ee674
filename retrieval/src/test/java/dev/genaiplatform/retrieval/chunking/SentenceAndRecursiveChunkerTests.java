package dev.genaiplatform.retrieval.chunking;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SentenceAndRecursiveChunkerTests {

    private static final String GUIDE = """
            # Greenhouse guide

            ## Ventilation

            Open the roof vents by a hand's width when the night stays above twelve degrees. Close them before a \
            storm, e.g. when the forecast says gusts above 60 km/h. Version 3.5 of the controller does this itself.
            Wrapped lines of one paragraph stay one block of text for the sentence splitter.

            - Check the vent motors every spring
            - Oil the hinges twice a year

            ## Watering

            Water tomatoes at the root before nine in the morning. Wet leaves at night invite blight. \
            Cucumbers want more water than tomatoes 🍅, and peppers less. Überwinterung: bring chillies inside.
            """;

    @Test
    void sentenceChunksAreExactSubstringsOfWholeSentencesUnderTheLimitWithOneSentenceOfOverlap() {
        List<Chunk> chunks = new SentenceChunker(160, 1).chunk("guide.md", GUIDE);

        assertThat(chunks).hasSizeGreaterThan(3);
        for (Chunk chunk : chunks) {
            assertThat(GUIDE.substring(chunk.startOffset(), chunk.endOffset())).isEqualTo(chunk.text());
            assertThat(chunk.text().length()).isLessThanOrEqualTo(160);
            assertThat(chunk.text()).doesNotStartWith(" ").doesNotEndWith(" ");
        }
        assertThat(chunks).noneMatch(c -> c.text().endsWith("e.g.") || c.text().endsWith("3.")); // abbreviations and numbers stay whole
        assertThat(chunks).anyMatch(c -> c.text().startsWith("Close them before a storm")); // the overlap sentence opens the next chunk
        Chunk watering = chunks.stream().filter(c -> c.text().contains("blight")).findFirst().orElseThrow();
        assertThat(watering.headingPath()).isEqualTo("Greenhouse guide > Watering");
        assertThat(String.join(" ", chunks.stream().map(Chunk::text).toList())).contains("Oil the hinges twice a year")
                .contains("bring chillies inside");
    }

    @Test
    void aSentenceLongerThanTheLimitIsCutAtSpacesAndStillCovered() {
        String longSentence = "word ".repeat(80).strip() + ".";
        List<Chunk> chunks = new SentenceChunker(100, 0).chunk("long.txt", longSentence);

        assertThat(chunks).allSatisfy(c -> assertThat(c.text().length()).isLessThanOrEqualTo(100));
        assertThat(String.join(" ", chunks.stream().map(Chunk::text).toList())).isEqualTo(longSentence);
    }

    @Test
    void recursiveChunksPreferParagraphsThenLinesThenSentencesAndOverlap() {
        List<Chunk> chunks = new RecursiveCharacterChunker(200, 60).chunk("guide.md", GUIDE);

        assertThat(chunks).hasSizeGreaterThan(3);
        for (Chunk chunk : chunks) {
            assertThat(GUIDE.substring(chunk.startOffset(), chunk.endOffset())).isEqualTo(chunk.text());
            assertThat(chunk.text().length()).isLessThanOrEqualTo(200);
        }
        for (int i = 1; i < chunks.size(); i++) {
            assertThat(chunks.get(i).startOffset()).as("chunks move forward").isGreaterThan(chunks.get(i - 1).startOffset());
            assertThat(chunks.get(i).startOffset()).as("nothing skipped").isLessThanOrEqualTo(chunks.get(i - 1).endOffset() + 2);
        }
        assertThat(chunks).anyMatch(c -> c.text().equals("- Check the vent motors every spring\n- Oil the hinges twice a year"));
        assertThat(chunks.getLast().endOffset()).isEqualTo(GUIDE.strip().length());
        assertThat(chunks.stream().filter(c -> c.text().contains("🍅")).findFirst().orElseThrow().headingPath())
                .isEqualTo("Greenhouse guide > Watering");
    }

    @Test
    void recursiveSplittingCutsTextWithoutAnySeparatorAtTheLimitWithoutBreakingCharacters() {
        String text = "😀".repeat(150); // 300 UTF-16 chars, no separator at all
        List<Chunk> chunks = new RecursiveCharacterChunker(101, 0).chunk("emoji.txt", text);

        assertThat(chunks).allSatisfy(c -> {
            assertThat(c.text().length()).isLessThanOrEqualTo(101);
            assertThat(Character.isLowSurrogate(c.text().charAt(0))).isFalse();
        });
        assertThat(String.join("", chunks.stream().map(Chunk::text).toList())).isEqualTo(text);
    }

    @Test
    void theStrategiesAreSelectableByNameWithDefaultsAndBounds() {
        ChunkingStrategies strategies = new ChunkingStrategies(1000);
        assertThat(strategies.normalise(Map.of("type", "sentence"))).isEqualTo(
                Map.of("type", "sentence", "max_chunk_chars", 1000, "overlap_sentences", 1));
        assertThat(strategies.normalise(Map.of("type", "recursive", "max_chunk_chars", 800))).isEqualTo(
                Map.of("type", "recursive", "max_chunk_chars", 800, "chunk_overlap_chars", 100));
        assertThat(strategies.chunker(Map.of("type", "sentence"))).isInstanceOf(SentenceChunker.class);
        assertThat(strategies.chunker(Map.of("type", "recursive"))).isInstanceOf(RecursiveCharacterChunker.class);
        assertThatThrownBy(() -> strategies.normalise(Map.of("type", "recursive", "chunk_overlap_chars", 900))).hasMessageContaining("half");
        assertThatThrownBy(() -> strategies.normalise(Map.of("type", "sentence", "overlap_sentences", "two"))).hasMessageContaining("number");
    }
}
