package dev.genaiplatform.guardrails.size;

import dev.genaiplatform.contracts.guardrails.ChatMessage;
import dev.genaiplatform.guardrails.detection.Detection;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class InputSizeDetectorTests {

    private final InputSizeDetector detector = new InputSizeDetector(10);

    @Test
    void allowsAConversationAtTheLimit() {
        assertThat(detector.detect(List.of(new ChatMessage("system", "12345"), new ChatMessage("user", "67890"))))
                .isEmpty();
    }

    @Test
    void blocksWhenAllMessagesTogetherExceedTheLimitAndSaysWhereAndWhy() {
        List<Detection> detections = detector.detect(List.of(
                new ChatMessage("system", "123456"), new ChatMessage("user", "789012"), new ChatMessage("user", "x")));

        assertThat(detections).singleElement().isInstanceOfSatisfying(Detection.Block.class, block -> {
            assertThat(block.messageIndex()).isEqualTo(1);
            assertThat(block.category()).isEqualTo("INPUT_TOO_LARGE");
            assertThat(block.reason()).contains("13 characters").contains("limit of 10");
        });
    }

    @Test
    void countsCodePointsNotUtf16Units() {
        String tenEmoji = "😀".repeat(10); // 20 UTF-16 units, 10 characters

        assertThat(detector.detect(List.of(new ChatMessage("user", tenEmoji)))).isEmpty();
    }

    @Test
    void treatsMissingContentAsEmpty() {
        assertThat(detector.detect(List.of(new ChatMessage("assistant", null)))).isEmpty();
    }
}
