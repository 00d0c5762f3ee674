package dev.genaiplatform.retrieval.chunking;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.EncodingType;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TokenWindowChunkerTests {

    private static final String TEXT = ("Die Bäckerin prüft den Sauerteig 🍞 jeden Morgen. Lactobacilli make it sour; "
            + "yeast makes it rise. 日本語のテキストも混ざっています。").repeat(40);

    @Test
    void windowsHoldAtMostTheTokenLimitOverlapAndPointExactlyIntoTheText() {
        List<Chunk> chunks = new TokenWindowChunker(100, 20).chunk("bread.txt", TEXT);
        var encoding = Encodings.newDefaultEncodingRegistry().getEncoding(EncodingType.CL100K_BASE);

        assertThat(chunks).hasSizeGreaterThan(5);
        for (Chunk chunk : chunks) {
            assertThat(TEXT.substring(chunk.startOffset(), chunk.endOffset())).isEqualTo(chunk.text());
            assertThat(encoding.countTokensOrdinary(chunk.text())).isLessThanOrEqualTo(102); // re-tokenising a cut may differ by an edge token
        }
        for (int i = 1; i < chunks.size(); i++) {
            assertThat(chunks.get(i).startOffset()).as("overlap").isLessThan(chunks.get(i - 1).endOffset());
        }
        assertThat(chunks.getLast().endOffset()).isEqualTo(TEXT.strip().length());
    }

    @Test
    void refusesOpenAisOutOfRangeParameters() {
        assertThatThrownBy(() -> new TokenWindowChunker(50, 0)).hasMessageContaining("100 and 4096");
        assertThatThrownBy(() -> new TokenWindowChunker(800, 401)).hasMessageContaining("half");
    }
}
