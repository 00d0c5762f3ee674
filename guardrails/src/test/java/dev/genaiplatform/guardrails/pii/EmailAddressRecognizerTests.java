package dev.genaiplatform.guardrails.pii;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class EmailAddressRecognizerTests {

    private final EmailAddressRecognizer recognizer = new EmailAddressRecognizer();

    @Test
    void findsAddressesWithSubdomainsPlusTagsAndNonAsciiLetters() {
        String text = "Write to jane.doe+news@mail.example.co.uk or jörg@müller.de, not to me.";

        assertThat(substrings(text)).containsExactly("jane.doe+news@mail.example.co.uk", "jörg@müller.de");
    }

    @Test
    void reportsOffsetsInTheOriginalTextAndLeavesTrailingPunctuationOut() {
        String text = "Mail me at jane.doe@example.com: how does retrieval rank passages?";

        assertThat(recognizer.find(text)).containsExactly(new PiiSpan(PiiCategory.EMAIL_ADDRESS, 11, 31));
    }

    @Test
    void leavesLeadingDotsOfAnEllipsisOutOfTheAddress() {
        assertThat(substrings("see...jane@example.com")).containsExactly("jane@example.com");
    }

    @Test
    void doesNotTakeObfuscatedOrIncompleteAddresses() {
        assertThat(recognizer.find("jane at example dot com, root@localhost, @handle, a@b.c, x@@y.com")).isEmpty();
    }

    private List<String> substrings(String text) {
        return recognizer.find(text).stream().map(span -> text.substring(span.start(), span.end())).toList();
    }
}
