package dev.genaiplatform.retrieval.chunking;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChunkingStrategiesTests {

    private final ChunkingStrategies strategies = new ChunkingStrategies(1000);

    @Test
    void autoMeansHeadingAwareMarkdownAndStaticMeansTokenWindows() {
        assertThat(strategies.normalise(null)).containsEntry("type", "markdown_headings").containsEntry("max_chunk_chars", 1000);
        assertThat(strategies.chunker(Map.of("type", "auto"))).isInstanceOf(MarkdownHeadingChunker.class);
        Map<String, Object> fixed = Map.of("type", "static", "static", Map.of("max_chunk_size_tokens", 200, "chunk_overlap_tokens", 50));
        assertThat(strategies.chunker(fixed)).isInstanceOf(TokenWindowChunker.class);
        assertThat(strategies.normalise(fixed)).isEqualTo(fixed);
    }

    @Test
    void refusesUnknownOrIncompleteStrategies() {
        assertThatThrownBy(() -> strategies.normalise(Map.of("type", "semantic"))).hasMessageContaining("unknown");
        assertThatThrownBy(() -> strategies.normalise(Map.of("type", "static"))).hasMessageContaining("max_chunk_size_tokens");
        assertThatThrownBy(() -> strategies.normalise(Map.of("type", "markdown_headings", "max_chunk_chars", 5))).hasMessageContaining("100");
    }
}
