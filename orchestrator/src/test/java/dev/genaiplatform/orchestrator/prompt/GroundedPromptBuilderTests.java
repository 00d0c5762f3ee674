package dev.genaiplatform.orchestrator.prompt;

import dev.genaiplatform.contracts.guardrails.ChatMessage;
import dev.genaiplatform.contracts.retrieval.RetrievedChunk;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.SystemMessage;
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

    private static final List<ChatMessage> QUESTION =
            List.of(new ChatMessage("user", "How does retrieval rank passages?"));

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
        List<ChatMessage> conversation = List.of(
                new ChatMessage("system", "Answer briefly."),
                new ChatMessage("user", "first question " + "padding ".repeat(60)),
                new ChatMessage("assistant", "first answer " + "padding ".repeat(60)),
                new ChatMessage("user", "second question"),
                new ChatMessage("assistant", "second answer"),
                new ChatMessage("user", "third question"));
        GroundedPromptBuilder roomy = builder(2000, 6000);
        int systemTokens = TOKENS.countMessage(roomy.build(conversation, List.of(RRF)).systemText());
        int keptTurns = TOKENS.countMessage("Answer briefly.") + TOKENS.countMessage("second question")
                + TOKENS.countMessage("second answer") + TOKENS.countMessage("third question");
        int keepsTheLastFourMessages = systemTokens + 3 + keptTurns + 10;

        GroundedPrompt prompt = builder(100, keepsTheLastFourMessages).build(conversation, List.of(RRF));

        assertThat(prompt.conversation()).extracting(ChatMessage::content).containsExactly(
                "Answer briefly.", "second question", "second answer", "third question");
        assertThat(prompt.droppedMessages()).isEqualTo(2);
        assertThat(prompt.promptTokens()).isLessThanOrEqualTo(keepsTheLastFourMessages);
    }

    @Test
    void refusesAQuestionThatAloneExceedsThePromptBudget() {
        List<ChatMessage> huge = List.of(new ChatMessage("user", "word ".repeat(5000)));

        assertThatThrownBy(() -> builder(100, 1000).build(huge, List.of()))
                .isInstanceOf(PromptTooLongException.class)
                .hasMessageContaining("the limit is 1000");
    }

    @Test
    void putsTheGroundedSystemMessageFirstAndMapsRoles() {
        List<ChatMessage> conversation = List.of(
                new ChatMessage("user", "hi"), new ChatMessage("assistant", "hello"), new ChatMessage("user", "why?"));

        List<Message> messages = builder(2000, 6000).build(conversation, List.of(RRF)).messages();

        assertThat(messages).hasSize(4);
        assertThat(messages.get(0)).isInstanceOf(SystemMessage.class);
        assertThat(messages.get(0).getText()).contains("Context passages:");
        assertThat(messages.get(1)).isInstanceOf(UserMessage.class);
        assertThat(messages.get(2)).isInstanceOf(AssistantMessage.class);
        assertThat(messages.get(3).getText()).isEqualTo("why?");
    }

    private static GroundedPromptBuilder builder(int maxContextTokens, int maxPromptTokens) {
        return new GroundedPromptBuilder(new ClassPathResource("prompts/grounded-answer.st"),
                new ClassPathResource("prompts/context-passage.st"), TOKENS, maxContextTokens, maxPromptTokens);
    }
}
