package dev.genaiplatform.orchestrator.prompt;


import dev.genaiplatform.contracts.retrieval.RetrievedChunk;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.SystemMessage;
import org.springframework.ai.chat.messages.ToolResponseMessage;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.core.io.ClassPathResource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GroundedPromptBuilderTests {

    private static final TokenCounter TOKENS = new TokenCounter();

    private static final RetrievedChunk RRF = new RetrievedChunk("architecture.md#3", "architecture.md",
            "Architecture > Retrieval", 1204, 1890,
            "Retrieval fuses BM25 and vector rankings with reciprocal rank fusion.\n", 0.0325);
    private static final RetrievedChunk HEADINGS = new RetrievedChunk("rag.md#1", "rag.md", "RAG > Chunking", 0, 412,
            "Chunks keep the heading path of their section.", 0.0310);
    private static final RetrievedChunk KAFKA = new RetrievedChunk("kafka.md#7", "kafka.md", "Kafka > Replies", 90, 300,
            "Replies find their request through the correlation id header.", 0.0250);

    private static final List<Turn> QUESTION =
            List.of(Turn.text("user", "How does retrieval rank passages?"));

    @Test
    void numbersPassagesBestFirstInTheFormatTheSimulatorParses() {
        GroundedPrompt prompt = builder(2000, 6000).build(QUESTION, List.of(RRF, HEADINGS));

        assertThat(prompt.systemText()).endsWith("""
                Context passages:

                [1] (source: architecture.md > Architecture > Retrieval)
                Retrieval fuses BM25 and vector rankings with reciprocal rank fusion.

                [2] (source: rag.md > RAG > Chunking)
                Chunks keep the heading path of their section.""");
        assertThat(prompt.systemText()).contains("[1]", "[2]", "I don't know.");
        assertThat(prompt.passages()).containsExactly(RRF, HEADINGS);
        assertThat(prompt.passageIds()).containsExactly("architecture.md#3", "rag.md#1");
    }

    @Test
    void includesFewerPassagesWhenTheContextBudgetIsSmall() {
        int onePassage = TOKENS.count("[1] (source: architecture.md > Architecture > Retrieval)\n"
                + "Retrieval fuses BM25 and vector rankings with reciprocal rank fusion.\n\n");

        GroundedPrompt prompt = builder(onePassage + 5, 6000).build(QUESTION, List.of(RRF, HEADINGS, KAFKA));

        assertThat(prompt.passages()).containsExactly(RRF);
        assertThat(prompt.systemText()).contains("[1] (source: architecture.md").doesNotContain("[2] (source:");
    }

    @Test
    void stillSendsTheInstructionsWhenRetrievalFindsNothing() {
        GroundedPrompt prompt = builder(2000, 6000).build(QUESTION, List.of());

        assertThat(prompt.passages()).isEmpty();
        assertThat(prompt.systemText()).startsWith("You answer questions").endsWith("Context passages:");
    }

    @Test
    void usesTheDocumentPathWhenAChunkHasNoHeading() {
        RetrievedChunk preamble = new RetrievedChunk("intro.md#0", "intro.md", "", 0, 20, "Welcome.", 0.02);

        GroundedPrompt prompt = builder(2000, 6000).build(QUESTION, List.of(preamble));

        assertThat(prompt.systemText()).endsWith("[1] (source: intro.md > intro.md)\nWelcome.");
    }

    @Test
    void dropsTheOldestTurnsFirstAndKeepsTheRestInOrder() {
        List<Turn> conversation = List.of(
                Turn.text("system", "Answer briefly."),
                Turn.text("user", "first question " + "padding ".repeat(60)),
                Turn.text("assistant", "first answer " + "padding ".repeat(60)),
                Turn.text("user", "second question"),
                Turn.text("assistant", "second answer"),
                Turn.text("user", "third question"));
        GroundedPromptBuilder roomy = builder(2000, 6000);
        int systemTokens = TOKENS.countMessage(roomy.build(conversation, List.of(RRF)).systemText());
        int keptTurns = TOKENS.countMessage("Answer briefly.") + TOKENS.countMessage("second question")
                + TOKENS.countMessage("second answer") + TOKENS.countMessage("third question");
        int keepsTheLastFourMessages = systemTokens + 3 + keptTurns + 10;

        GroundedPrompt prompt = builder(100, keepsTheLastFourMessages).build(conversation, List.of(RRF));

        assertThat(prompt.conversation()).extracting(Turn::content).containsExactly(
                "Answer briefly.", "second question", "second answer", "third question");
        assertThat(prompt.droppedMessages()).isEqualTo(2);
        assertThat(prompt.promptTokens()).isLessThanOrEqualTo(keepsTheLastFourMessages);
    }

    @Test
    void refusesAQuestionThatAloneExceedsThePromptBudget() {
        List<Turn> huge = List.of(Turn.text("user", "word ".repeat(5000)));

        assertThatThrownBy(() -> builder(100, 1000).build(huge, List.of()))
                .isInstanceOf(PromptTooLongException.class)
                .hasMessageContaining("the limit is 1000");
    }

    @Test
    void putsTheGroundedSystemMessageFirstAndMapsRoles() {
        List<Turn> conversation = List.of(
                Turn.text("user", "hi"), Turn.text("assistant", "hello"), Turn.text("user", "why?"));

        List<Message> messages = builder(2000, 6000).build(conversation, List.of(RRF)).messages();

        assertThat(messages).hasSize(4);
        assertThat(messages.get(0)).isInstanceOf(SystemMessage.class);
        assertThat(messages.get(0).getText()).contains("Context passages:");
        assertThat(messages.get(1)).isInstanceOf(UserMessage.class);
        assertThat(messages.get(2)).isInstanceOf(AssistantMessage.class);
        assertThat(messages.get(3).getText()).isEqualTo("why?");
    }

    @Test
    void keepsAToolResultWithTheCallItAnswersAndNeverSendsAResultAlone() {
        Turn call = new Turn("assistant", "", List.of(new Turn.ToolCall("call_1", "get_weather",
                "{\"city\":\"Paris\", \"note\":\"" + "padding ".repeat(60) + "\"}")), null);
        Turn result = new Turn("tool", "21 C", List.of(), "call_1");
        List<Turn> endsWithResult = List.of(Turn.text("user", "old question " + "padding ".repeat(60)),
                Turn.text("user", "weather in Paris?"), call, result);
        List<Turn> resultThenQuestion = List.of(Turn.text("user", "weather in Paris?"), call, result,
                Turn.text("user", "and tomorrow?"));
        GroundedPromptBuilder roomy = builder(2000, 6000);
        int systemTokens = TOKENS.countMessage(roomy.build(endsWithResult, List.of(RRF)).systemText());
        int tight = systemTokens + 3 + TOKENS.countMessage("21 C") + TOKENS.countMessage("and tomorrow?") + 20;

        int exchangeOnly = systemTokens + 3 + TOKENS.countMessage(call.countedText()) + TOKENS.countMessage("21 C") + 5;

        // a result ends the conversation: the call it answers comes with it, older turns give way
        GroundedPrompt exchange = builder(100, exchangeOnly).build(endsWithResult, List.of(RRF));
        // the result would fit but its call does not: both go
        GroundedPrompt question = builder(100, tight).build(resultThenQuestion, List.of(RRF));

        assertThat(exchange.conversation()).containsExactly(call, result);
        assertThat(question.conversation()).extracting(Turn::content).containsExactly("and tomorrow?");
        List<Message> messages = exchange.messages();
        assertThat(messages.get(messages.size() - 2)).isInstanceOfSatisfying(AssistantMessage.class,
                assistant -> assertThat(assistant.getToolCalls()).extracting(AssistantMessage.ToolCall::id)
                        .containsExactly("call_1"));
        assertThat(messages.getLast()).isInstanceOfSatisfying(ToolResponseMessage.class,
                tool -> assertThat(tool.getResponses()).singleElement().satisfies(response -> {
                    assertThat(response.id()).isEqualTo("call_1");
                    assertThat(response.name()).isEqualTo("get_weather");
                    assertThat(response.responseData()).isEqualTo("21 C");
                }));
    }

    @Test
    void rememberedPassageCountsGiveTheSamePromptAndBudgetAsCountingEveryTime() {
        GroundedPromptBuilder counting = builder(2000, 6000);
        GroundedPromptBuilder remembering = builder(2000, 6000).withPassageTokenMemo(16);
        List<Turn> conversation = List.of(Turn.text("system", "Answer briefly."), Turn.text("user", "What is RRF?"),
                Turn.text("assistant", "A way to fuse rankings [1]."), Turn.text("user", "How does retrieval rank passages?"));
        int onePassage = TOKENS.count("[1] (source: architecture.md > Architecture > Retrieval)\n"
                + "Retrieval fuses BM25 and vector rankings with reciprocal rank fusion.\n\n");
        for (int round = 0; round < 3; round++) {   // the second and third rounds answer from the memo
            for (GroundedPromptBuilder.Window window : java.util.Arrays.asList(null,
                    new GroundedPromptBuilder.Window(4 * onePassage + 1100, 1024, 0))) {
                GroundedPrompt expected = counting.build(conversation, List.of(RRF, HEADINGS, KAFKA), window);
                GroundedPrompt actual = remembering.build(conversation, List.of(RRF, HEADINGS, KAFKA), window);
                assertThat(actual.systemText()).isEqualTo(expected.systemText());
                assertThat(actual.passages()).isEqualTo(expected.passages());
                assertThat(actual.conversation()).isEqualTo(expected.conversation());
                assertThat(actual.budget()).isEqualTo(expected.budget());
                assertThat(actual.promptTokens()).isEqualTo(expected.promptTokens());
            }
        }
    }

    /**
     * Wave 12: the system message's tokens are added up from its parts (the instructions, each passage as counted
     * when it was fitted) instead of encoding the whole message again. The sum must be the whole message's count,
     * exactly, whatever the passages hold: random texts of words, numbers, punctuation, contractions, other scripts
     * and white space of every kind, with and without the memo and a preamble, and texts that end in white space.
     */
    @Test
    void theSystemMessageCountedFromItsPartsIsTheCountOfTheWholeMessage() {
        String[] pieces = {"retrieval", "ranks", " passages", "BM25", "1204", "3.14", "'s", "'ll", "don't", "(RRF)",
                "[1]", "—", "é", "naïve", "東京", "🙂", ".", "!", "?", ",", ":", ";", "...", "\n", "\n\n", " ", "  ",
                "\t", "\r\n", "\u00a0", "`code`", "#", "x", "HTTP/2", "a-b", "__init__", "   \n"};
        java.util.Random random = new java.util.Random(12);
        GroundedPromptBuilder counting = builder(4000, 12000);
        GroundedPromptBuilder remembering = builder(4000, 12000).withPassageTokenMemo(64);
        for (int round = 0; round < 2000; round++) {
            List<RetrievedChunk> chunks = new java.util.ArrayList<>();
            for (int n = random.nextInt(6); n > 0; n--) {
                StringBuilder text = new StringBuilder();
                for (int words = 1 + random.nextInt(60); words > 0; words--) {
                    text.append(pieces[random.nextInt(pieces.length)]).append(random.nextInt(3) == 0 ? "" : " ");
                }
                chunks.add(new RetrievedChunk("d.md#" + n, "d.md", random.nextBoolean() ? "D > " + pieces[random.nextInt(pieces.length)] : "",
                        0, 1, text.toString(), 0.5));
            }
            GroundedPromptBuilder.Options options = new GroundedPromptBuilder.Options(null,
                    random.nextBoolean() ? "Canary: c4n4ry-" + random.nextInt(1000) : null);
            for (GroundedPromptBuilder builder : List.of(counting, remembering)) {
                GroundedPrompt prompt = builder.build(QUESTION, chunks, null, options);
                assertThat(prompt.promptTokens()).as("round %d: %s", round, prompt.systemText())
                        .isEqualTo(TOKENS.countMessage(prompt.systemText()) + 3
                                + TOKENS.countMessage(QUESTION.getFirst().countedText()));
            }
        }
    }

    /**
     * Wave 14: the instructions' count is remembered by their text, so it must follow the prompt version a request
     * asks for, back and forth, with and without a preamble, and a version given a new template.
     */
    @Test
    void theRememberedInstructionsCountFollowsThePromptVersion() {
        GroundedPromptBuilder builder = builder(2000, 6000).withPassageTokenMemo(64)
                .withVersion("grounded-answer@v2", new ClassPathResource("prompts/grounded-answer-v2.st"));
        List<RetrievedChunk> chunks = List.of(RRF, HEADINGS, KAFKA);
        int questionTokens = TOKENS.countMessage(QUESTION.getFirst().countedText());
        java.util.Set<Integer> counts = new java.util.HashSet<>();
        for (String version : java.util.Arrays.asList(null, "grounded-answer@v2", null, "grounded-answer@v2", "unknown")) {
            for (String preamble : java.util.Arrays.asList(null, "Confidential marker: cnry-1234abcd.")) {
                GroundedPrompt prompt = builder.build(QUESTION, chunks, null,
                        new GroundedPromptBuilder.Options(version, preamble));
                assertThat(prompt.systemText()).as(version).contains("grounded-answer@v2".equals(version)
                        ? "in at most three sentences" : "After each sentence that uses a passage");
                assertThat(prompt.promptTokens()).as("%s, %s", version, preamble)
                        .isEqualTo(TOKENS.countMessage(prompt.systemText()) + 3 + questionTokens);
                counts.add(prompt.promptTokens());
            }
        }
        assertThat(counts).as("two versions, with and without a preamble").hasSize(4);
        builder.withVersion("grounded-answer@v2", new org.springframework.core.io.ByteArrayResource(
                "Answer from these passages only.\n\n{context}\n".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        GroundedPrompt replaced = builder.build(QUESTION, chunks, null,
                new GroundedPromptBuilder.Options("grounded-answer@v2", null));
        assertThat(replaced.systemText()).startsWith("Answer from these passages only.\n\n[1]");
        assertThat(replaced.promptTokens()).isEqualTo(TOKENS.countMessage(replaced.systemText()) + 3 + questionTokens);
    }

    private static GroundedPromptBuilder builder(int maxContextTokens, int maxPromptTokens) {
        return new GroundedPromptBuilder(new ClassPathResource("prompts/grounded-answer.st"),
                new ClassPathResource("prompts/context-passage.st"), TOKENS, maxContextTokens, maxPromptTokens);
    }
}
