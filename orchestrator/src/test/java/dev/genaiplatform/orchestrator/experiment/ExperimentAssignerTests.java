package dev.genaiplatform.orchestrator.experiment;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExperimentAssignerTests {

    private static final ExperimentSettings FIFTY_FIFTY = new ExperimentSettings(true, "grounded-answer", List.of(
            new ExperimentSettings.Arm("A", 5000, "grounded-answer@v1"),
            new ExperimentSettings.Arm("B", 5000, "grounded-answer@v2")), List.of());

    @Test
    void bucketsMatchEvaluationsReferenceVectors() {
        assertThat(ExperimentAssigner.bucket("prompt-v3-vs-v4", "demo", "alice")).isEqualTo(6979);
        assertThat(ExperimentAssigner.bucket("prompt-v3-vs-v4", "demo", "bob")).isEqualTo(4016);
        assertThat(ExperimentAssigner.bucket("prompt-v3-vs-v4", "acme", "alice")).isEqualTo(6431);
    }

    @Test
    void aNinetyTenSplitPutsBucket6979InAAndTheReferenceArmsAgree() {
        ExperimentAssigner ninetyTen = new ExperimentAssigner(new ExperimentSettings(true, "prompt-v3-vs-v4", List.of(
                new ExperimentSettings.Arm("A", 9000, null), new ExperimentSettings.Arm("B", 1000, null)), List.of()));
        assertThat(ninetyTen.assign("demo", "alice", null, "r1", null).orElseThrow().label())
                .isEqualTo("prompt-v3-vs-v4:A");
    }

    @Test
    void theSameUserStaysInTheSameArmWhateverTheRequestOrConversation() {
        ExperimentAssigner assigner = new ExperimentAssigner(FIFTY_FIFTY);
        String first = assigner.assign("acme", "user-42", "conv-1", "req-1", null).orElseThrow().arm();
        for (int i = 0; i < 50; i++) {
            assertThat(assigner.assign("acme", "user-42", "conv-" + i, "req-" + i, null).orElseThrow().arm())
                    .isEqualTo(first);
        }
    }

    @Test
    void withoutAUserTheConversationDecidesAndWithoutEitherTheRequest() {
        ExperimentAssigner assigner = new ExperimentAssigner(FIFTY_FIFTY);
        int byConversation = ExperimentAssigner.bucket("grounded-answer", "acme", "conv-7");
        assertThat(assigner.assign("acme", null, "conv-7", "req-1", null).orElseThrow().arm())
                .isEqualTo(byConversation < 5000 ? "A" : "B");
        int byRequest = ExperimentAssigner.bucket("grounded-answer", "acme", "req-9");
        assertThat(assigner.assign("acme", null, null, "req-9", null).orElseThrow().arm())
                .isEqualTo(byRequest < 5000 ? "A" : "B");
    }

    @Test
    void armsAreBalancedWithinTwoPointsOverTenThousandUsers() {
        ExperimentAssigner assigner = new ExperimentAssigner(FIFTY_FIFTY);
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < 10_000; i++) {
            counts.merge(assigner.assign("acme", "user-" + i, null, "r", null).orElseThrow().arm(), 1, Integer::sum);
        }
        // binomial sd at n = 10,000, p = 0.5 is 50: 200 is four of them
        assertThat(counts.get("A")).isBetween(4800, 5200);
        assertThat(counts.get("B")).isBetween(4800, 5200);
    }

    @Test
    void anOverrideForcesAnArmByNameOrWithTheExperimentAndRejectsOthers() {
        ExperimentAssigner assigner = new ExperimentAssigner(FIFTY_FIFTY);
        ExperimentAssigner.Assignment forced = assigner.assign("acme", "user-1", null, "r", "B").orElseThrow();
        assertThat(forced.forced()).isTrue();
        assertThat(forced.promptVersion()).isEqualTo("grounded-answer@v2");
        assertThat(assigner.assign("acme", "user-1", null, "r", "grounded-answer:A").orElseThrow().arm()).isEqualTo("A");
        assertThatThrownBy(() -> assigner.assign("acme", "u", null, "r", "C"))
                .isInstanceOf(ExperimentAssigner.UnknownArmException.class);
        assertThatThrownBy(() -> assigner.assign("acme", "u", null, "r", "other-experiment:A"))
                .isInstanceOf(ExperimentAssigner.UnknownArmException.class);
    }

    @Test
    void noExperimentMeansNoArmUnlessAnEvaluationRunNamesOne() {
        ExperimentAssigner off = new ExperimentAssigner(new ExperimentSettings(false, null, null, null));
        assertThat(off.assign("acme", "u", null, "r", null)).isEmpty();
        assertThat(off.assign("acme", "u", null, "r", "prompt-v3-vs-v4:B").orElseThrow().label())
                .isEqualTo("prompt-v3-vs-v4:B");
    }

    @Test
    void tenantsOutsideTheExperimentGetNoArm() {
        ExperimentAssigner onlyAcme = new ExperimentAssigner(new ExperimentSettings(true, "grounded-answer",
                FIFTY_FIFTY.arms(), List.of("acme")));
        assertThat(onlyAcme.assign("globex", "u", null, "r", null)).isEmpty();
        assertThat(onlyAcme.assign("acme", "u", null, "r", null)).isPresent();
    }

    @Test
    void sharesThatDoNotSumToTenThousandStopStartup() {
        assertThatThrownBy(() -> new ExperimentSettings(true, "x", List.of(new ExperimentSettings.Arm("A", 9000, null)),
                null)).hasMessageContaining("10000");
    }
}
