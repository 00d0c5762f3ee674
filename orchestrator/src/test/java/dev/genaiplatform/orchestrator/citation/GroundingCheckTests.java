package dev.genaiplatform.orchestrator.citation;

import dev.genaiplatform.contracts.chat.ChatCompletionRecordedEvent.Outcome;
import dev.genaiplatform.contracts.retrieval.RetrievedChunk;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class GroundingCheckTests {

    private static final List<RetrievedChunk> PASSAGES = List.of(new RetrievedChunk("architecture.md#3",
            "architecture.md", "Architecture > Retrieval", 0, 10, "Retrieval fuses rankings.", 0.03));

    @Test
    void theSimulatorsIDontKnowReplyIsNoAnswer() {
        assertThat(outcomeOf("I don't know. The provided context does not answer that question."))
                .isEqualTo(Outcome.NO_ANSWER);
    }

    @Test
    void anAnswerCitingAPassageIsAnswered() {
        assertThat(outcomeOf("Retrieval fuses rankings. [1]")).isEqualTo(Outcome.ANSWERED);
    }

    @Test
    void anAnswerCitingOnlyUnknownPassagesIsNoAnswer() {
        assertThat(outcomeOf("Paris is the capital of France. [4]")).isEqualTo(Outcome.NO_ANSWER);
    }

    @Test
    void anEmptyAnswerIsNoAnswer() {
        assertThat(outcomeOf("")).isEqualTo(Outcome.NO_ANSWER);
    }

    private static Outcome outcomeOf(String answer) {
        return GroundingCheck.outcomeOf(CitationExtractor.extract(answer, PASSAGES));
    }
}
