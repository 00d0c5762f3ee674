package dev.genaiplatform.guardrails.ner;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The shipped name finder model and lexicon on plain cases, with offsets into the text. */
class NameFinderDetectorTests {

    private static final NameFinderDetector DETECTOR = new NameFinderDetector();

    private static List<String> found(String text, String category) {
        return DETECTOR.find(text).stream().filter(span -> span.category().equals(category))
                .map(span -> text.substring(span.start(), span.end())).toList();
    }

    @Test
    void findsAPersonInAnOrdinarySentence() {
        assertThat(found("Yesterday I met Maria Rossi at the conference.", "PERSON")).contains("Maria Rossi");
    }

    @Test
    void findsAStreetAddress() {
        String text = "Please ship it to 42 Elm Street, Springfield.";
        assertThat(DETECTOR.find(text)).anySatisfy(span -> {
            assertThat(span.category()).isEqualTo("STREET_ADDRESS");
            assertThat(text.substring(span.start(), span.end())).contains("42 Elm Street");
        });
    }

    @Test
    void leavesTitlesOutOfTheName() {
        assertThat(found("Could you correct it to Dr. Helena Novak please?", "PERSON")).contains("Helena Novak");
    }

    @Test
    void findsNothingInATechnicalQuestion() {
        assertThat(DETECTOR.find("How do Kafka consumer groups rebalance when a partition is added?")).isEmpty();
    }

    @Test
    void tokensKeepTheirOffsets() {
        String text = "O'Neil met  Saint-Étienne's mayor, Dr. Roe.";
        assertThat(TextTokens.of(text)).allSatisfy(token ->
                assertThat(text.substring(token.start(), token.end())).isEqualTo(token.text()));
        assertThat(TextTokens.of(text)).extracting(TextTokens.Token::text)
                .contains("O'Neil", "Saint-Étienne's", "Dr.", "Roe."); // the known flaw: short words keep a full stop
    }

    @Test
    void finishesOnALongRunOfTokens() {
        DETECTOR.find("a@".repeat(10_000));
        DETECTOR.find("Name ".repeat(5_000));
    }

    @Test
    void aRememberingFinderGivesEveryTextTheSpansReadingItAfreshGives() {
        var remembering = NameFinderDetector.remembering(3);
        List<String> texts = List.of("Yesterday I met Maria Rossi at the conference.",
                "Please ship it to 42 Elm Street, Springfield.", "How do Kafka consumer groups rebalance?",
                "Could you correct it to Dr. Helena Novak please?",
                "Jan Kowalski lives in Warsaw. ".repeat(10));
        for (int round = 0; round < 3; round++) { // five texts, room for three: remembered, evicted, read again
            for (String text : texts) {
                assertThat(remembering.find(text)).as(text).isEqualTo(DETECTOR.find(text));
            }
        }
    }
}
