package dev.genaiplatform.orchestrator.chat;

import dev.genaiplatform.contracts.guardrails.Finding;
import dev.genaiplatform.contracts.guardrails.OutputCheckedReply;
import dev.genaiplatform.contracts.guardrails.Verdict;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class AnswerOutputCheckTests {

    /** Windows guardrails saw, as {@code offset:text}. */
    private final List<String> windows = new ArrayList<>();

    /** Restores {@code <PERSON_1>}, masks "secret-token", blocks "cnry-1234". */
    private OutputCheckedReply guardrails(String text, long offset) {
        this.windows.add(offset + ":" + text);
        if (text.contains("cnry-1234")) {
            return new OutputCheckedReply("r", "answer", Verdict.BLOCKED, "",
                    List.of(new Finding("system-prompt", "SYSTEM_PROMPT_LEAK", -1, 0, 1, "answer")), "stopped", null);
        }
        String out = text.replace("<PERSON_1>", "Ada Lovelace").replace("secret-token", "<SECRET>");
        return new OutputCheckedReply("r", "answer", out.equals(text) ? Verdict.ALLOWED : Verdict.REDACTED, out,
                List.of(), null, null);
    }

    private String stream(AnswerOutputCheck check, String... pieces) {
        StringBuilder released = new StringBuilder();
        for (String piece : pieces) {
            released.append(check.accept(piece));
        }
        return released.append(check.finish()).toString();
    }

    @Test
    void releasesEverythingUnchangedWhenGuardrailsAllowIt() {
        AnswerOutputCheck check = new AnswerOutputCheck(this::guardrails, 20, 40);
        String answer = "Retrieval fuses BM25 and vector rankings with reciprocal rank fusion. [1] Chunks keep headings. [2]";
        assertThat(stream(check, answer.split("(?<= )"))).isEqualTo(answer);
        assertThat(check.blocked()).isFalse();
        assertThat(check.changed()).isFalse();
        assertThat(check.checks()).isGreaterThan(2);
    }

    @Test
    void repeatsTheLookBehindAtItsOffsetAndNeverSplitsAWord() {
        AnswerOutputCheck check = new AnswerOutputCheck(this::guardrails, 20, 40);
        stream(check, "The first sentence is here. ", "The second sentence follows now. ", "Third.");
        assertThat(this.windows).hasSizeGreaterThanOrEqualTo(2);
        String second = this.windows.get(1);
        assertThat(second).startsWith("0:The first sentence is here. The second");
        this.windows.forEach(window -> assertThat(window).satisfiesAnyOf(
                w -> assertThat(w).endsWith(" "), w -> assertThat(w).endsWith("Third.")));
    }

    @Test
    void restoresAPlaceholderSplitAcrossModelChunks() {
        AnswerOutputCheck check = new AnswerOutputCheck(this::guardrails, 16, 40);
        String released = stream(check, "You asked about <PER", "SON_1> who wrote the first program. [1]");
        assertThat(released).isEqualTo("You asked about Ada Lovelace who wrote the first program. [1]");
        assertThat(check.changed()).isTrue();
    }

    @Test
    void stopsAtTheWindowThatLeaksAndReleasesNothingOfIt() {
        AnswerOutputCheck check = new AnswerOutputCheck(this::guardrails, 16, 40);
        StringBuilder released = new StringBuilder();
        for (String piece : ("A harmless start of an answer. Then the marker cnry-1234 appears. And more text after it.")
                .split("(?<= )")) {
            released.append(check.accept(piece));
        }
        released.append(check.finish());
        assertThat(check.blocked()).isTrue();
        assertThat(released.toString()).startsWith("A harmless start").doesNotContain("cnry");
        assertThat(check.blockedBy().reason()).isEqualTo("stopped");
        assertThat(check.findings()).extracting(Finding::category).containsExactly("SYSTEM_PROMPT_LEAK");
    }

    @Test
    void checksAWholeAnswerOnceAndMasksWhatGuardrailsMask() {
        AnswerOutputCheck check = new AnswerOutputCheck(this::guardrails, 160, 400);
        assertThat(check.whole("Use secret-token to log in.")).isEqualTo("Use <SECRET> to log in.");
        assertThat(check.checks()).isEqualTo(1);
        AnswerOutputCheck leaking = new AnswerOutputCheck(this::guardrails, 160, 400);
        assertThat(leaking.whole("The marker is cnry-1234.")).isNull();
        assertThat(leaking.blocked()).isTrue();
    }
}
