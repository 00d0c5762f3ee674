package dev.genaiplatform.guardrails.pii;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PhoneNumberRecognizerTests {

    private final PhoneNumberRecognizer recognizer = new PhoneNumberRecognizer();

    @ParameterizedTest
    @ValueSource(strings = {"+1-202-555-0143", "+44 20 7946 0958", "+44 (0)20 7946 0958", "+33 1 84 17 61 18",
            "+49 30 12345678", "+1 (555) 123-4567"})
    void findsInternationalNumbersWithoutAnyContext(String number) {
        String text = "Here it is: " + number + ".";

        assertThat(substrings(text)).containsExactly(number);
    }

    @ParameterizedTest
    @ValueSource(strings = {"202-555-0143", "(202) 555-0143", "202.555.0143", "202-555-0143 x12"})
    void findsNorthAmericanNumbersWithoutAnyContext(String number) {
        assertThat(substrings("they gave " + number + " yesterday")).containsExactly(number);
    }

    @ParameterizedTest
    @ValueSource(strings = {"020 7946 0958", "0490 75 40 81", "01.84.17.61.18", "07700 900 123", "030-1234 5678"})
    void findsNationalNumbersWithATrunkPrefixWithoutAnyContext(String number) {
        assertThat(substrings("they gave " + number + " yesterday")).containsExactly(number);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Phone: 451 5986", "call me on 9472 7916", "Fax: 9498777106", "mobile number is 78 651 450",
            "Tel.: (37) 788-063", "416 60 039 office", "699 956 915-Fax"})
    void findsOtherDigitRunsOnlyNextToAPhoneCue(String text) {
        assertThat(recognizer.find(text)).hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "The restaurant is at 224 4966 Bond Street",
            "Order 123456789012 shipped",
            "Here's my SSN: 460-89-9847",
            "SSN 054-28-6917",
            "my driver's license number is 2270-66-1551",
            "When: 2000-04-16 11:34:35",
            "Due 05.06.2024 10:30",
            "the office is at 17031 2202 Rissik St",
            "client ip 106.31.73.20",
            "version 0.10.2 and 0.9",
            "ISBN 978-0-13-468599-1",
            "a population of 1 234 567 in 2020",
            "invoice 2024-00123-45 of 12.03.2024",
            "Call of Duty 2 sold 25 000 000 copies"})
    void leavesNumbersThatAreNotPhoneNumbersAlone(String text) {
        assertThat(recognizer.find(text)).isEmpty();
    }

    @Test
    void reportsOffsetsOfTheNumberInTheOriginalText() {
        String text = "Ring +44 20 7946 0958 now";

        assertThat(recognizer.find(text)).contains(new PiiSpan(PiiCategory.PHONE_NUMBER, 5, 21));
    }

    private List<String> substrings(String text) {
        return new PiiDetector().find(text).stream().map(span -> text.substring(span.start(), span.end())).toList();
    }
}
