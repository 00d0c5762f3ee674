package dev.genaiplatform.evaluation.runs;

import dev.genaiplatform.evaluation.golden.GoldenCase;
import dev.genaiplatform.evaluation.scoring.CitedPassage;
import dev.genaiplatform.evaluation.scoring.PassageSource;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class CaseScorerTests {

    private final CaseScorer scorer = new CaseScorer(new PassageSource(), Prices.simulatorDefaults());

    private static final GoldenCase DEAD_LETTER = new GoldenCase("dead-letter", GoldenCase.Kind.ANSWER,
            List.of(Map.of("role", "user", "content", "What happens to a message a consumer cannot parse?")),
            "A message a consumer cannot parse goes to a dead-letter topic and the partition keeps moving.",
            List.of(List.of("walkthroughs/software-systems.md")), null, Map.of(), List.of(), List.of());

    @Test
    void aQuotedCitedAnswerScoresOnEveryAxisAndIsPriced() {
        // the whole document as the cited passage (a chunk's offsets would select part of it)
        ChatAnswer answer = new ChatAnswer(200, "chatcmpl-1",
                "A record a consumer cannot read goes to `<topic>.dlt` and the partition keeps moving. [1]",
                List.of(new CitedPassage(1, "walkthroughs/software-systems.md", 0, lengthOf("walkthroughs/software-systems.md"))),
                List.of(), "stop", 700, 50, 120, null, null);
        CaseResult result = scorer.score(DEAD_LETTER, 0, "sim-small", answer);
        assertThat(result.refused()).isFalse();
        assertThat(result.citationRecall()).isEqualTo(1.0);
        assertThat(result.citationPrecision()).isEqualTo(1.0);
        assertThat(result.groundedness()).isEqualTo(1.0);
        assertThat(result.correctness()).isBetween(0.5, 0.9);
        assertThat(result.quality()).isBetween(0.8, 1.0);
        // 700 × 0.00015 / 1000 + 50 × 0.0006 / 1000
        assertThat(result.costUsd()).isEqualTo(0.000135);
    }

    @Test
    void declaringIgnoranceOnAnAnswerableQuestionScoresZeroAndSaysWhy() {
        ChatAnswer answer = new ChatAnswer(200, "c", "I don't know. The provided context does not answer that question.",
                List.of(), List.of(), "stop", 700, 14, 100, null, null);
        CaseResult result = scorer.score(DEAD_LETTER, 0, "sim-small", answer);
        assertThat(result.refused()).isTrue();
        assertThat(result.refusalCorrect()).isFalse();
        assertThat(result.quality()).isZero();
        assertThat(result.notes()).contains("refused a question the corpus answers");
    }

    @Test
    void aRefusalCaseScoresOneForABlockOrAnIDontKnowAndZeroForAnAnswerOrAnError() {
        GoldenCase refuse = new GoldenCase("capital", GoldenCase.Kind.REFUSE,
                List.of(Map.of("role", "user", "content", "Capital of Australia?")), null, List.of(), null, Map.of(),
                List.of(), List.of());
        assertThat(scorer.score(refuse, 0, "m", new ChatAnswer(400, null, null, List.of(), List.of(), null, 0, 0, 5,
                "input_blocked", "blocked")).quality()).isEqualTo(1.0);
        assertThat(scorer.score(refuse, 0, "m", new ChatAnswer(200, "c", "Canberra.", List.of(), List.of(), "stop",
                1, 1, 5, null, null)).quality()).isZero();
        CaseResult failed = scorer.score(refuse, 0, "m", new ChatAnswer(503, null, null, List.of(), List.of(), null,
                0, 0, 5, "upstream_unavailable", "down"));
        assertThat(failed.quality()).isZero();
        assertThat(failed.notes()).anyMatch(note -> note.contains("an error is not a refusal"));
    }

    @Test
    void aToolCaseNeedsTheRightToolAndArgumentsIgnoringSpacesAndCase() {
        GoldenCase tool = new GoldenCase("arith", GoldenCase.Kind.TOOL_CALL,
                List.of(Map.of("role", "user", "content", "17*23+4?")), null, List.of(), "calculate",
                Map.of("expression", "17 * 23 + 4"), List.of(), List.of());
        assertThat(scorer.score(tool, 0, "m", call("calculate", "{\"expression\":\"17*23+4\"}")).quality()).isEqualTo(1.0);
        assertThat(scorer.score(tool, 0, "m", call("calculate", "{\"expression\":\"17*23\"}")).quality()).isEqualTo(0.5);
        assertThat(scorer.score(tool, 0, "m", call("get_weather", "{\"city\":\"Paris\"}")).quality()).isZero();
        assertThat(scorer.score(tool, 0, "unpriced", call("calculate", "{}")).costUsd()).isNull();
    }

    private static ChatAnswer call(String name, String arguments) {
        return new ChatAnswer(200, "c", null, List.of(), List.of(new ChatAnswer.ToolCallSeen(name, arguments)),
                "tool_calls", 10, 10, 5, null, null);
    }

    private static int lengthOf(String path) {
        int low = 0;
        int high = 1_000_000;
        PassageSource corpus = new PassageSource();
        while (low < high) {
            int mid = (low + high + 1) / 2;
            if (corpus.text(new CitedPassage(1, path, 0, mid)).isPresent()) {
                low = mid;
            } else {
                high = mid - 1;
            }
        }
        return low;
    }
}
