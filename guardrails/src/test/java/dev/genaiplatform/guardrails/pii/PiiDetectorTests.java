package dev.genaiplatform.guardrails.pii;

import dev.genaiplatform.guardrails.detection.CheckedText;
import dev.genaiplatform.guardrails.detection.Detection;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PiiDetectorTests {

    private final PiiDetector detector = new PiiDetector();

    @Test
    void aCardNumberWinsOverAPhoneNumberOnTheSameDigits() {
        // after "call me on", the digit run is also a phone candidate; the Luhn-valid card takes precedence
        String text = "call me on 4111 1111 1111 1111";

        assertThat(detector.find(text)).containsExactly(new PiiSpan(PiiCategory.CREDIT_CARD, 11, 30));
    }

    @Test
    void aLuhnInvalidSixteenDigitNumberIsNotMaskedEvenAfterAPhoneCue() {
        assertThat(detector.find("call me on 4111 1111 1111 1112")).isEmpty();
    }

    @Test
    void returnsSpansOfAllCategoriesInTextOrder() {
        String text = "Jane (jane@example.com, +1-202-555-0143) paid with 4242 4242 4242 4242.";

        assertThat(detector.find(text)).extracting(PiiSpan::category).containsExactly(
                PiiCategory.EMAIL_ADDRESS, PiiCategory.PHONE_NUMBER, PiiCategory.CREDIT_CARD);
    }

    @Test
    void reportsEachSpanAgainstItsOwnTextAndSkipsEmptyTexts() {
        List<CheckedText> texts = List.of(
                new CheckedText(0, "messages[0].content", null),
                new CheckedText(1, "messages[1].content", "mail a@example.org"),
                new CheckedText(-1, "tools[0].description", "phone +44 20 7946 0958"));

        assertThat(detector.detect(texts)).containsExactly(
                new Detection.Span("pii", "EMAIL_ADDRESS", 1, 5, 18),
                new Detection.Span("pii", "PHONE_NUMBER", 2, 6, 22));
    }

    @Test
    void finishesOnPathologicalInputsWithoutBacktracking() {
        // java.util.regex needs seconds to minutes on such input with a naive e-mail pattern; re2j is linear
        String letters = "a".repeat(200_000);
        String ats = "a@".repeat(100_000);
        String dotted = "a.".repeat(100_000) + "@";
        String digits = "1 ".repeat(100_000);
        String plusses = "+1".repeat(100_000);

        for (String input : List.of(letters, ats, dotted, digits, plusses)) {
            assertThat(detector.find(input)).isEmpty();
        }
    }

    @Test
    void handlesLongInputDenseWithMatches() {
        String input = "x@example.com 4111 1111 1111 1111 +44 20 7946 0958 ".repeat(5_000);

        assertThat(detector.find(input)).hasSize(15_000);
    }
}
