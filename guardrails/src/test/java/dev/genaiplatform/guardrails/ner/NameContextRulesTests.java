package dev.genaiplatform.guardrails.ner;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The second and third waves' name rules: names the previous rules missed are found, and words that look like names at a
 * sentence start are not. Names and texts are made up here, not taken from the development set.
 */
class NameContextRulesTests {

    private static final NameFinderDetector CURRENT = new NameFinderDetector();

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
    void anAmountOfMoneyIsNotAStreetAddress() {
        for (String text : List.of("Please refund 1250 euros to my card.", "The deposit is EUR 1,250.00 per month.",
                "I was charged $300 twice.")) {
            assertThat(CURRENT.find(text)).as(text).noneMatch(span -> span.category().equals("STREET_ADDRESS"));
        }
    }

    @Test
    void theNameInAnEmailAddressIsLeftToTheEmailCheck() {
        assertThat(persons("You said your email is HelgaTorvik@example.net, is that right?")).isEmpty();
    }

    @Test
    void aLowerCaseWordInATextWithCapitalsIsNotANameUnlessItIsOnTheNameLists() {
        assertThat(persons("I want you to act as my gym coach. Give me one step at a time.")).isEmpty();
        assertThat(persons("hi, can you tell nina that the meeting moved")).contains("nina");
    }

    @Test
    void aNameAfterAHouseNumberIsAStreet() {
        String text = "Our landlord lives at 0879 Grace Overpass, Hamilton.";

        assertThat(persons(text)).isEmpty();
        assertThat(CURRENT.find(text)).anySatisfy(span -> {
            assertThat(span.category()).isEqualTo("STREET_ADDRESS");
            assertThat(text.substring(span.start(), span.end())).startsWith("0879 Grace Overpass");
        });
    }

    @Test
    void aFirstNameAndASurnameTheModelTookForAPlaceAreOnePerson() {
        assertThat(persons("Yesterday I met Maria Rossi at the conference.")).containsExactly("Maria Rossi");
    }
}
