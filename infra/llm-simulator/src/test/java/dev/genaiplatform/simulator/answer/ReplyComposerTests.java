package dev.genaiplatform.simulator.answer;

import dev.genaiplatform.simulator.model.ChatMessage;
import dev.genaiplatform.simulator.model.ToolCall;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.LongStream;

import static dev.genaiplatform.simulator.answer.ToolCallDeciderTests.CALCULATOR;
import static dev.genaiplatform.simulator.answer.ToolCallDeciderTests.WEATHER;
import static org.assertj.core.api.Assertions.assertThat;

class ReplyComposerTests {

    private static final String SYSTEM = StructuredOutputTests.resource("/prompts/grounded-system-message.txt");
    private static final List<ChatMessage> GROUNDED = List.of(new ChatMessage("system", SYSTEM),
            new ChatMessage("user", "How does retrieval rank passages?"));

    private final GroundedAnswerComposer grounding = new GroundedAnswerComposer(3, 0.3);
    private final ReplyComposer composer = new ReplyComposer();
    private final String deterministic = grounding.compose(GROUNDED).text();

    @Test
    void callsATool() {
        ModelReply reply = reply(List.of(new ChatMessage("user", "What is (2+3)*4?")), tools(ToolChoice.AUTO), null);

        assertThat(reply.isToolCall()).isTrue();
        assertThat(reply.content()).isNull();
        assertThat(reply.generatedText()).isEqualTo("{\"expression\":\"(2+3)*4\"}");
    }

    @Test
    void composesTheFinalAnswerFromToolResultsInsteadOfCallingAgain() {
        ToolCall call = new ToolCall("call_1", "calculator", "{\"expression\":\"(2+3)*4\"}");
        ToolCall weather = new ToolCall("call_2", "get_weather", "{\"city\":\"Oslo\",\"unit\":\"celsius\"}");
        List<ChatMessage> conversation = List.of(
                new ChatMessage("user", "What is (2+3)*4, and the weather in Oslo?"),
                new ChatMessage("assistant", "", null, List.of(call, weather), null),
                new ChatMessage("tool", "{\"result\": 20}", null, List.of(), "call_1"),
                new ChatMessage("tool", "Sunny, 21 °C", null, List.of(), "call_2"));

        ModelReply reply = reply(conversation, tools(ToolChoice.REQUIRED), null);

        assertThat(reply.isToolCall()).isFalse();
        assertThat(reply.content()).isEqualTo("The result of (2+3)*4 is 20. The get_weather tool returned: Sunny, 21 °C.");
        assertThat(reply.grounded()).isFalse();
    }

    @Test
    void aNewUserQuestionAfterToolResultsMayCallAgain() {
        ToolCall call = new ToolCall("call_1", "calculator", "{\"expression\":\"1+1\"}");
        List<ChatMessage> conversation = List.of(new ChatMessage("user", "What is 1+1?"),
                new ChatMessage("assistant", "", null, List.of(call), null),
                new ChatMessage("tool", "2", null, List.of(), "call_1"),
                new ChatMessage("assistant", "The result of 1+1 is 2."),
                new ChatMessage("user", "And 2*21?"));

        assertThat(reply(conversation, tools(ToolChoice.AUTO), null).toolCall().arguments())
                .isEqualTo("{\"expression\":\"2*21\"}");
    }

    @Test
    void temperatureZeroOrAbsentIsTheDeterministicAnswerWhateverTheSeed() {
        assertThat(text(null, null, 7L)).isEqualTo(deterministic);
        assertThat(text(0.0, null, 7L)).isEqualTo(deterministic);
        assertThat(text(0.0, null, 8L)).isEqualTo(deterministic);
    }

    @Test
    void theSameSeedAndTemperatureGiveTheSameWordingAndOtherSeedsOtherWordings() {
        assertThat(text(1.0, null, 42L)).isEqualTo(text(1.0, null, 42L));

        Set<String> wordings = new HashSet<>();
        LongStream.range(0, 20).forEach(seed -> wordings.add(text(1.0, null, seed)));
        assertThat(wordings).hasSizeGreaterThan(3).contains(deterministic);
    }

    @Test
    void variedWordingsKeepEverySentenceAndCitation() {
        String varied = LongStream.range(0, 20).mapToObj(seed -> text(1.5, null, seed))
                .filter(t -> !t.equals(deterministic)).findFirst().orElseThrow();

        for (GroundedAnswer.Quote quote : grounding.compose(GROUNDED).quotes()) {
            assertThat(varied).contains(quote.text() + " [" + quote.passage() + "]");
        }
    }

    @Test
    void topPZeroKeepsTheDeterministicWordingAndNoSeedStillVaries() {
        LongStream.range(0, 10).forEach(seed -> assertThat(text(1.0, 0.0, seed)).isEqualTo(deterministic));

        Set<String> unseeded = new HashSet<>();
        for (int i = 0; i < 40; i++) {
            unseeded.add(text(1.0, null, null));
        }
        assertThat(unseeded).hasSizeGreaterThan(1);
    }

    @Test
    void choiceZeroIsTheSingleReplyAndLaterChoicesSampleWithTheSeedMovedOn() {
        ReplyOptions seeded = new ReplyOptions(List.of(), ToolChoice.NONE, ResponseFormat.TEXT,
                new Sampling(1.0, null, 40L, List.of()));
        GroundedAnswer grounded = grounding.compose(GROUNDED);

        assertThat(composer.reply(GROUNDED, seeded, grounded, 0).content()).isEqualTo(text(1.0, null, 40L));
        assertThat(composer.reply(GROUNDED, seeded, grounded, 2).content()).isEqualTo(text(1.0, null, 42L));
        assertThat(composer.reply(GROUNDED, ReplyOptions.DEFAULT, grounded, 2).content()).isEqualTo(deterministic);
    }

    @Test
    void eachChoiceCallsTheToolWithItsOwnId() {
        List<ChatMessage> question = List.of(new ChatMessage("user", "What is 1+1?"));
        GroundedAnswer grounded = grounding.compose(question);

        ToolCall first = composer.reply(question, tools(ToolChoice.AUTO), grounded, 0).toolCall();
        ToolCall second = composer.reply(question, tools(ToolChoice.AUTO), grounded, 1).toolCall();

        assertThat(second.arguments()).isEqualTo(first.arguments());
        assertThat(second.id()).isNotEqualTo(first.id());
    }

    @Test
    void theRefusalNeverVaries() {
        List<ChatMessage> unanswerable = List.of(new ChatMessage("system", SYSTEM),
                new ChatMessage("user", "What is the capital of France?"));

        assertThat(reply(unanswerable, new ReplyOptions(List.of(), ToolChoice.NONE, ResponseFormat.TEXT,
                new Sampling(2.0, null, 3L, List.of())), null).content()).isEqualTo(GroundedAnswerComposer.I_DONT_KNOW);
    }

    @Test
    void stopsBeforeTheEarliestStopSequence() {
        ModelReply reply = reply(GROUNDED, new ReplyOptions(List.of(), ToolChoice.NONE, ResponseFormat.TEXT,
                new Sampling(null, null, null, List.of("reciprocal", " [1]"))), null);

        assertThat(reply.content()).isEqualTo(deterministic.substring(0, deterministic.indexOf(" [1]")));
        assertThat(ReplyComposer.stopAt("abc", List.of("x"))).isEqualTo("abc");
        assertThat(ReplyComposer.stopAt("abc", List.of("a"))).isEmpty();
    }

    private String text(Double temperature, Double topP, Long seed) {
        return reply(GROUNDED, new ReplyOptions(List.of(), ToolChoice.NONE, ResponseFormat.TEXT,
                new Sampling(temperature, topP, seed, List.of())), null).content();
    }

    private static ReplyOptions tools(ToolChoice choice) {
        return new ReplyOptions(List.of(WEATHER, CALCULATOR), choice, ResponseFormat.TEXT, Sampling.DETERMINISTIC);
    }

    private ModelReply reply(List<ChatMessage> messages, ReplyOptions options, Void unused) {
        return composer.reply(messages, options, grounding.compose(messages));
    }
}
