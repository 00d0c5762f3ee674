package dev.genaiplatform.simulator.chat;

import org.junit.jupiter.api.Test;
import tools.jackson.core.json.JsonWriteFeature;
import tools.jackson.databind.json.JsonMapper;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ChatStreamWriterTests {

    private static final List<String> TEXTS = List.of("Hello", " world", ".", "", " \"quoted\"", "back\\slash",
            "a/b", "</script>", "\n", "\r\n", "\t", "\u0000", "\u001f", "\u007f", "é", "日本語", "👋🏽", "\u2028\u2029",
            "\uFEFF", "[1]", "{\"json\":true}", "'single'", "&<>");

    @Test
    void writesATokensChunkExactlyAsTheWholeChunkIsWritten() {
        for (JsonMapper json : List.of(JsonMapper.builder().build(),
                JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build())) {
            ChatStreamWriter writer = new ChatStreamWriter(json);
            for (String model : List.of("sim-small", "odd \"content\":\"\" model")) {
                ChatStreamWriter.ContentChunk chunk = ChatStreamWriter.ContentChunk.around(
                        writer.chunk("chatcmpl-1", 1_700_000_000L, model, 2, new OpenAiWire.Delta(null, ""), null), json);

                assertThat(chunk).isNotNull();
                for (String text : TEXTS) {
                    assertThat(chunk.with(text)).as(text).isEqualTo(writer.chunk("chatcmpl-1", 1_700_000_000L, model, 2,
                            new OpenAiWire.Delta(null, text), null));
                }
            }
        }
    }

    @Test
    void writesTheWholeChunkWhenTheEmptyContentIsNotFoundOnce() {
        assertThat(ChatStreamWriter.ContentChunk.around("{\"content\" : \"\"}", JsonMapper.builder().build())).isNull();
        assertThat(ChatStreamWriter.ContentChunk.around("{\"content\":\"\",\"content\":\"\"}", JsonMapper.builder().build()))
                .isNull();
    }
}
