package dev.genaiplatform.guardrails.ner;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * This wave's name rules: names the previous rules missed are found, and words that look like names at a
 * sentence start are not. Names and texts are made up here, not taken from the development set.
 */
class NameContextRulesTests {

    private static final NameFinderDetector CURRENT = new NameFinderDetector(true);

    private static List<String> persons(String text) {
        return CURRENT.find(text).stream().filter(span -> span.category().equals("PERSON"))
                .map(span -> text.substring(span.start(), span.end())).toList();
    }

    @Test
    void aFirstNameAndASurnameFoundSeparatelyAreOneName() {
        assertThat(persons("Maybe it is filed under Gregory Wrzesniewski.")).containsExactly("Gregory Wrzesniewski");
    }

    @Test
    void theNameLineAboveAnAddressIsAPersonAndTheAddressStaysAnAddress() {
        String text = "Ship to:\nGregory Okafor\n\n41 Harbour Road\nLeith";

        assertThat(persons(text)).contains("Gregory Okafor");
        assertThat(CURRENT.find(text)).noneSatisfy(span -> {
            assertThat(span.category()).isEqualTo("STREET_ADDRESS");
            assertThat(text.substring(span.start(), span.end())).contains("Gregory");
        });
    }

    @Test
    void firstNamesInAListAreNotAnAddress() {
        String text = "The twins were invited with 4 friends: Hannah, Anthony, Derek and Julia.";

        assertThat(persons(text)).contains("Hannah", "Anthony", "Derek");
        assertThat(CURRENT.find(text)).noneMatch(span -> span.category().equals("STREET_ADDRESS"));
    }

    @Test
    void aSpeakerOrSubjectAtTheStartOfALineIsAPerson() {
        assertThat(persons("Roxanne: are you coming tonight?")).contains("Roxanne");
        assertThat(persons("Thanks for the notes.\nScott is flying to Oslo on Monday.")).contains("Scott");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "May I ask how the gateway limits request rates?",
            "Will you summarise this paragraph for me?",
            "Grant access to the shared folder, please.",
            "Victoria Station is closed on Sunday mornings."})
    void wordsThatAreAlsoFirstNamesAreNotTakenForPeopleAtASentenceStart(String text) {
        assertThat(persons(text)).isEmpty();
    }

    @Test
    void thePreviousRulesMissedWhatTheseFind() {
        NameFinderDetector previous = new NameFinderDetector(false);
        String text = "Maybe it is filed under Gregory Wrzesniewski.";

        assertThat(previous.find(text).stream().map(span -> text.substring(span.start(), span.end())))
                .doesNotContain("Gregory Wrzesniewski");
    }
}
