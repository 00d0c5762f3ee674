package dev.genaiplatform.evaluation.experiments;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The vectors printed in the README (checked against an independent Python {@code hashlib} computation): an
 * orchestrator implementation must reproduce them exactly.
 */
class ExperimentAssignmentTests {

    @Test
    void reproducesTheReadmeVectors() {
        assertThat(ExperimentAssignment.bucket("prompt-v3-vs-v4", "demo", "alice")).isEqualTo(VECTOR_ALICE);
        assertThat(ExperimentAssignment.bucket("prompt-v3-vs-v4", "demo", "bob")).isEqualTo(VECTOR_BOB);
        assertThat(ExperimentAssignment.bucket("prompt-v3-vs-v4", "acme", "alice")).isEqualTo(VECTOR_ACME_ALICE);
    }

    @Test
    void splitsTrafficInTheConfiguredSharesAndKeepsASubjectInItsArm() {
        LinkedHashMap<String, Integer> shares = new LinkedHashMap<>();
        shares.put("A", 9000);
        shares.put("B", 1000);
        int b = 0;
        for (int user = 0; user < 20_000; user++) {
            if (ExperimentAssignment.arm("exp", "demo", "user-" + user, shares).equals("B")) {
                b++;
            }
        }
        // 10% of 20,000 with a binomial standard deviation of about 42
        assertThat(b).isBetween(1850, 2150);
        assertThat(ExperimentAssignment.arm("exp", "demo", "user-7", shares))
                .isEqualTo(ExperimentAssignment.arm("exp", "demo", "user-7", shares));
    }

    @Test
    void refusesSharesThatDoNotSumToTheWhole() {
        LinkedHashMap<String, Integer> shares = new LinkedHashMap<>();
        shares.put("A", 5000);
        assertThatThrownBy(() -> ExperimentAssignment.arm("exp", "demo", "u", shares))
                .hasMessageContaining("10000");
    }

    static final int VECTOR_ALICE = 6979;
    static final int VECTOR_BOB = 4016;
    static final int VECTOR_ACME_ALICE = 6431;
}
