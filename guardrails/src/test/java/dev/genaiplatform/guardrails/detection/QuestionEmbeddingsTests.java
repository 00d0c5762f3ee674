package dev.genaiplatform.guardrails.detection;

import dev.genaiplatform.contracts.guardrails.ChatMessage;
import dev.genaiplatform.contracts.guardrails.CheckInputCommand;
import dev.genaiplatform.contracts.guardrails.InputCheckedReply;
import dev.genaiplatform.contracts.guardrails.Verdict;
import dev.genaiplatform.contracts.retrieval.TextEmbedding;
import dev.genaiplatform.guardrails.injection.InjectionClassifier;
import dev.genaiplatform.guardrails.injection.NormalisedText;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The question's embedding is handed on only when it is exactly the embedding of the forwarded message. */
class QuestionEmbeddingsTests {

    private static final AllMiniLmL6V2QuantizedEmbeddingModel MINILM = new AllMiniLmL6V2QuantizedEmbeddingModel();

    private static final List<String> ORDINARY = List.of(
            "What is hybrid search?",
            "How do I reset my password in the Admin Console?",
            "Explain how BM25   and vector similarity\nare combined, please.",
            "  Which Kafka topics does the orchestrator use for guardrails checks?  ");

    @Test
    void forAnOrdinaryQuestionTheClassifiersWindowGivesExactlyTheQuestionsVector() {
        for (String question : ORDINARY) {
            String window = QuestionEmbeddings.sameTokensWindow(question);

            assertThat(window).as(question).isNotNull().isNotEqualTo(question);
            assertThat(window).isEqualTo(InjectionClassifier.windows(NormalisedText.of(question).text()).getFirst());
            assertThat(MINILM.embed(window).content().vector()).as(question)
                    .containsExactly(MINILM.embed(question).content().vector());
        }
    }

    @Test
    void whenNormalisationChangesMoreThanCaseAndSpacesThereIsNoWindowToHandOn() {
        assertThat(QuestionEmbeddings.sameTokensWindow("Is GPT4 better than GPT3 for summaries?")).isNull(); // gpta
        assertThat(QuestionEmbeddings.sameTokensWindow("When does the Café open?")).isNull();
        assertThat(QuestionEmbeddings.sameTokensWindow("What is hybrid\u200b search?")).isNull();
        assertThat(QuestionEmbeddings.sameTokensWindow("What is\u000Bhybrid search?")).isNull();
        assertThat(QuestionEmbeddings.sameTokensWindow("word ".repeat(65))).isNull(); // more than one window
        assertThat(QuestionEmbeddings.sameTokensWindow("   ")).isNull();
    }

    @Test
    void handsOnTheRememberedVectorWithTheForwardedTextAndModelName() {
        RecentEmbeddings recent = new RecentEmbeddings(MINILM, 16);
        QuestionEmbeddings embeddings = new QuestionEmbeddings(recent);
        String question = "How do I reset my password in the Admin Console?";
        var command = new CheckInputCommand("r", List.of(new ChatMessage("system", "Be brief."),
                new ChatMessage("user", "Hello"), new ChatMessage("assistant", "Hi!"), new ChatMessage("user", question)));
        var allowed = new InputCheckedReply("r", Verdict.ALLOWED, command.messages(), List.of(), null);

        assertThat(embeddings.of(command, allowed)).as("no classifier embedded it yet").isNull();
        // what the classifiers do during the check
        recent.embedAll(InjectionClassifier.windows(NormalisedText.of(question).text()).stream().map(TextSegment::from).toList());

        TextEmbedding handedOn = embeddings.of(command, allowed);
        assertThat(handedOn).isNotNull();
        assertThat(handedOn.matches(TextEmbedding.MINILM_L6_V2_Q, question)).isTrue();
        assertThat(handedOn.vector()).containsExactly(MINILM.embed(question).content().vector());
    }

    @Test
    void aMaskedOrBlockedQuestionIsNotHandedOn() {
        RecentEmbeddings recent = new RecentEmbeddings(MINILM, 16);
        QuestionEmbeddings embeddings = new QuestionEmbeddings(recent);
        String question = "Please write to jane at my address and ask her about the invoice";
        recent.embedAll(InjectionClassifier.windows(NormalisedText.of(question).text()).stream().map(TextSegment::from).toList());
        var command = new CheckInputCommand("r", List.of(new ChatMessage("user", question)));

        var masked = new InputCheckedReply("r", Verdict.REDACTED, List.of(new ChatMessage("user",
                "Please write to <PERSON> at my address and ask her about the invoice")), List.of(), null);
        var blocked = new InputCheckedReply("r", Verdict.BLOCKED, List.of(), List.of(), "no");
        var same = new InputCheckedReply("r", Verdict.ALLOWED, command.messages(), List.of(), null);

        assertThat(embeddings.of(command, masked)).isNull();
        assertThat(embeddings.of(command, blocked)).isNull();
        assertThat(embeddings.of(command, same)).isNotNull();
    }
}
