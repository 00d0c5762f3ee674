package dev.genaiplatform.simulator.chat;

import org.junit.jupiter.api.Test;
import tools.jackson.core.json.JsonWriteFeature;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ChatStreamWriterTests {

    /** Every printable ASCII character alone and in a row, then the characters that need escaping or are not ASCII. */
    private static final List<String> TEXTS = texts("Hello", " world", ".", "", " \"quoted\"", "back\\slash",
            "a/b", "</script>", "\n", "\r\n", "\t", "\u0000", "\u001f", "\u007f", "é", "日本語", "👋🏽", "\u2028\u2029",
            "\uFEFF", "[1]", "{\"json\":true}", "'single'", "&<>");

    private static List<String> texts(String... awkward) {
        List<String> texts = new ArrayList<>(List.of(awkward));
        StringBuilder all = new StringBuilder();
        for (char c = ' '; c < 127; c++) {
            texts.add(String.valueOf(c));
            all.append(c);
        }
        texts.add(all.toString());
        texts.add(" mixed \"ascii\" and é, then ascii");
        return texts;
    }

    @Test
    void writesATokensChunkExactlyAsTheWholeChunkIsWritten() {
        for (JsonMapper json : List.of(JsonMapper.builder().build(),
                JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build(),
                JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_FORWARD_SLASHES).build())) {
            ChatStreamWriter writer = new ChatStreamWriter(json);
            for (String model : List.of("sim-small", "odd \"content\":\"\" model")) {
                ChatStreamWriter.ContentChunk chunk = writer.contentChunk(
                        writer.chunk("chatcmpl-1", 1_700_000_000L, model, 2, new OpenAiWire.Delta(null, ""), null));

                assertThat(chunk).isNotNull();
                for (String text : TEXTS) {
                    assertThat(new String(chunk.with(text), StandardCharsets.UTF_8)).as(text).isEqualTo("data: "
                            + writer.chunk("chatcmpl-1", 1_700_000_000L, model, 2, new OpenAiWire.Delta(null, text), null)
                            + "\n\n");
                }
            }
        }
    }

    @Test
    void writesTheWholeChunkWhenTheEmptyContentIsNotFoundOnce() {
        ChatStreamWriter writer = new ChatStreamWriter(JsonMapper.builder().build());
        assertThat(writer.contentChunk("{\"content\" : \"\"}")).isNull();
        assertThat(writer.contentChunk("{\"content\":\"\",\"content\":\"\"}")).isNull();
    }
}
