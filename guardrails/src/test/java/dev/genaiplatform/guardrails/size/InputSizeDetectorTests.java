package dev.genaiplatform.guardrails.size;

import dev.genaiplatform.guardrails.detection.CheckedText;
import dev.genaiplatform.guardrails.detection.Detection;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class InputSizeDetectorTests {

    private final InputSizeDetector detector = new InputSizeDetector(10);

    @Test
    void allowsARequestAtTheLimit() {
        assertThat(detector.detect(List.of(text("12345"), text("67890"))))
                .isEmpty();
    }

    @Test
    void blocksWhenAllTextsTogetherExceedTheLimitAndSaysWhereAndWhy() {
        List<Detection> detections = detector.detect(List.of(
                text("123456"), text("789012"), text("x")));

        assertThat(detections).singleElement().isInstanceOfSatisfying(Detection.Block.class, block -> {
            assertThat(block.textIndex()).isEqualTo(1);
            assertThat(block.category()).isEqualTo("INPUT_TOO_LARGE");
            assertThat(block.reason()).contains("13 characters").contains("limit of 10");
        });
    }

    @Test
    void countsCodePointsNotUtf16Units() {
        String tenEmoji = "😀".repeat(10); // 20 UTF-16 units, 10 characters

        assertThat(detector.detect(List.of(text(tenEmoji)))).isEmpty();
    }

    @Test
    void treatsMissingContentAsEmpty() {
        assertThat(detector.detect(List.of(text(null)))).isEmpty();
    }

    private static CheckedText text(String content) {
        return new CheckedText(0, "messages[0].content", content);
    }
}
