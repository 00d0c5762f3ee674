package dev.genaiplatform.simulator.answer;

import dev.genaiplatform.simulator.model.ChatMessage;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class GroundedAnswerComposerTests {

    private static final Pattern CITED = Pattern.compile("(.+?) \\[(\\d+)](?: |$)");
    private static final String SYSTEM = resource("/prompts/grounded-system-message.txt");

    private final GroundedAnswerComposer composer = new GroundedAnswerComposer(3, 0.3);

    @Test
    void quotesTheRelevantSentencesAndCitesTheirPassage() {
        GroundedAnswer answer = composer.compose(ask("How does retrieval rank passages?"));

        assertThat(answer.text()).isEqualTo("The orchestrator asks retrieval for the passages that best match the last "
                + "user message. [1] Retrieval ranks passages by fusing two rankings with reciprocal rank fusion: a "
                + "BM25 keyword ranking and a vector ranking from the MiniLM embedding model. [1]");
        assertThat(answer.citations()).containsExactly(1, 1);
        assertThat(answer.grounded()).isTrue();
    }

    @Test
    void everyQuotedSentenceAppearsInItsPassageOnceWhitespaceIsCollapsed() {
        for (String question : List.of("How does retrieval rank passages?", "How does the gateway limit request rates?",
                "What happens when a consumer cannot parse a message?", "Why is embedding CPU-heavy?")) {
            String text = composer.compose(ask(question)).text();
            Matcher cited = CITED.matcher(text);
            int found = 0;
            while (cited.find()) {
                found++;
                String passage = passage(Integer.parseInt(cited.group(2)));
                assertThat(collapse(passage)).as(question).contains(cited.group(1));
            }
            assertThat(found).as("citations in the answer to " + question + ": " + text).isPositive();
        }
    }

    @Test
    void answersTheSameFromRememberedPassagesAsFromFreshOnes() {
        GroundedAnswerComposer remembering = new GroundedAnswerComposer(3, 0.3);
        List<String> questions = List.of("How does retrieval rank passages?", "How does the gateway limit request rates?",
                "What happens when a consumer cannot parse a message?", "Why is embedding CPU-heavy?", "Who won?");
        for (int round = 0; round < 2; round++) {
            for (String question : questions) {
                // a canary line of its own per request, as the orchestrator writes one; the passages recur
                List<ChatMessage> messages = List.of(
                        new ChatMessage("system", "Confidential marker: cnry-" + round + question.length() + "\n" + SYSTEM),
                        new ChatMessage("user", question));

                GroundedAnswer fresh = new GroundedAnswerComposer(3, 0.3).compose(messages);
                GroundedAnswer answer = remembering.compose(messages);

                assertThat(answer.text()).as(question).isEqualTo(fresh.text());
                assertThat(answer.citations()).as(question).isEqualTo(fresh.citations());
                assertThat(answer.quotes()).as(question).isEqualTo(fresh.quotes());
            }
        }
        assertThat(remembering.rememberedPassages()).isEqualTo(ContextPassage.parseAll(SYSTEM).size());
    }

    @Test
    void answersWhatTheLastUserMessageAsks() {
        List<ChatMessage> conversation = List.of(new ChatMessage("system", SYSTEM),
                new ChatMessage("user", "How does retrieval rank passages?"),
                new ChatMessage("assistant", "Retrieval ranks passages by fusing two rankings. [1]"),
                new ChatMessage("user", "How does the gateway limit request rates?"));

        GroundedAnswer answer = composer.compose(conversation);

        assertThat(answer.text()).startsWith("The gateway limits request rates per tenant with a token bucket in Redis. [3]");
        assertThat(answer.text()).doesNotContain("reciprocal rank fusion");
    }

    @Test
    void saysItDoesNotKnowWhenNoSentenceIsRelevant() {
        GroundedAnswer answer = composer.compose(ask("What is the capital of France?"));

        assertThat(answer.text()).isEqualTo("I don't know. The provided context does not answer that question.");
        assertThat(answer.citations()).isEmpty();
        assertThat(answer.grounded()).isFalse();
    }

    @Test
    void saysItDoesNotKnowWithoutContextPassages() {
        GroundedAnswer answer = composer.compose(List.of(
                new ChatMessage("system", "You are a helpful assistant."),
                new ChatMessage("user", "How does retrieval rank passages?")));

        assertThat(answer.text()).isEqualTo(GroundedAnswerComposer.I_DONT_KNOW);
    }

    @Test
    void givesTheSameAnswerToTheSameMessagesEveryTime() {
        String first = composer.compose(ask("How does the gateway limit request rates?")).text();

        for (int i = 0; i < 20; i++) {
            assertThat(new GroundedAnswerComposer(3, 0.3).compose(ask("How does the gateway limit request rates?")).text())
                    .isEqualTo(first);
        }
    }

    @Test
    void neverQuotesHeadingsCodeOrTables() {
        String text = composer.compose(ask("Why Kafka between services? Which topic ranks passages in code?")).text();

        assertThat(text).doesNotContain("## Why Kafka").doesNotContain("retrieval.rank(")
                .doesNotContain("|").doesNotContain("here too");
    }

    @Test
    void dropsListMarkersButKeepsTheSentenceText() {
        String text = composer.compose(ask("What happens when a consumer cannot parse a message?")).text();

        assertThat(text).contains("A message a consumer cannot parse goes to a dead-letter topic (`<topic>.dlt`) "
                + "and the partition keeps moving. [2]");
        assertThat(text).doesNotStartWith("-").doesNotContain(" - ");
    }

    @Test
    void quotesNoMoreThanTheConfiguredNumberOfSentences() {
        GroundedAnswer answer = new GroundedAnswerComposer(1, 0.0).compose(ask("How does retrieval rank passages?"));

        assertThat(answer.citations()).hasSize(1);
        assertThat(answer.text()).startsWith("Retrieval ranks passages by fusing two rankings");
    }

    @Test
    void neverQuotesASentenceThatAlreadyHoldsACitationMarker() {
        String system = """
                Context passages:

                [1] (source: architecture.md > Prompt)
                The orchestrator numbers passages [1], [2] and so on in the prompt template. The prompt template \
                is rendered with the numbered passages.
                """;
        GroundedAnswer answer = composer.compose(List.of(new ChatMessage("system", system),
                new ChatMessage("user", "How are passages numbered in the prompt template?")));

        assertThat(answer.text()).isEqualTo("The prompt template is rendered with the numbered passages. [1]");
    }

    private static List<ChatMessage> ask(String question) {
        return List.of(new ChatMessage("system", SYSTEM), new ChatMessage("user", question));
    }

    private static String passage(int number) {
        return ContextPassage.parseAll(SYSTEM).stream().filter(p -> p.number() == number).findFirst()
                .orElseThrow().text();
    }

    private static String collapse(String text) {
        return text.replaceAll("\\s+", " ").strip();
    }

    private static String resource(String path) {
        try (InputStream in = GroundedAnswerComposerTests.class.getResourceAsStream(path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
