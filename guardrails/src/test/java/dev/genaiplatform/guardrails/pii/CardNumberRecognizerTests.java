package dev.genaiplatform.guardrails.pii;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CardNumberRecognizerTests {

    private final CardNumberRecognizer recognizer = new CardNumberRecognizer();

    @Test
    void findsLuhnValidNumbersWrittenPlainWithSpacesOrWithDashes() {
        String text = "Visa 4111111111111111, Mastercard 5500 0000 0000 0004 and Amex 3782-822463-10005.";

        assertThat(substrings(text)).containsExactly("4111111111111111", "5500 0000 0000 0004", "3782-822463-10005");
    }

    @Test
    void reportsOffsetsOfTheNumberInTheOriginalText() {
        String text = "card: 4012 8888 8888 1881 thanks";

        assertThat(recognizer.find(text)).containsExactly(new PiiSpan(PiiCategory.CREDIT_CARD, 6, 25));
    }

    @Test
    void leavesALuhnInvalidSixteenDigitNumberAlone() {
        assertThat(recognizer.find("order 4111111111111112 and 1234 5678 9012 3456")).isEmpty();
    }

    @Test
    void ignoresDigitsGluedToLettersSuchAsInsideAnIban() {
        // the 16 digits after the bank code pass Luhn, but they are part of a longer token
        assertThat(recognizer.find("IBAN GB82WEST4111111111111111")).isEmpty();
        assertThat(recognizer.find("id 94111111111111111x")).isEmpty();
    }

    @Test
    void findsTheCardWhenAnotherNumberFollowsItInTheSameRun() {
        String text = "4242 4242 4242 4242 2027 is the card and the year";

        assertThat(substrings(text)).containsExactly("4242 4242 4242 4242");
    }

    @Test
    void rejectsNumbersOutsideThirteenToNineteenDigitsOrStartingWithZero() {
        assertThat(recognizer.find("short 411111111111 and long 41111111111111111111111")).isEmpty();
        assertThat(recognizer.find("0000 0000 0000 0000")).isEmpty();
    }

    @Test
    void luhnCheckAcceptsValidAndRejectsInvalidDigitStrings() {
        assertThat(CardNumberRecognizer.passesLuhn("6011111111111117")).isTrue();
        assertThat(CardNumberRecognizer.passesLuhn("6011111111111118")).isFalse();
    }

    private List<String> substrings(String text) {
        return recognizer.find(text).stream().map(span -> text.substring(span.start(), span.end())).toList();
    }
}
