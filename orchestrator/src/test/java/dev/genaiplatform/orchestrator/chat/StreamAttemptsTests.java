package dev.genaiplatform.orchestrator.chat;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class StreamAttemptsTests {

    @Test
    void anAttemptWhoseTextNeverReachedTheClientIsGivenUpAndItsLatePiecesAreDropped() {
        List<Integer> created = new ArrayList<>();
        StreamAttempts<String> attempts = new StreamAttempts<>(n -> {
            created.add(n);
            return "state-" + n;
        });
        int first = attempts.start();
        assertThat(attempts.stateFor(first)).isEqualTo("state-1");

        assertThat(attempts.giveUpUnlessCommitted()).as("nothing was sent: not committed").isFalse();
        int second = attempts.start();

        assertThat(attempts.live(first)).isFalse();
        assertThat(attempts.release(first)).as("a late piece of the given-up attempt").isFalse();
        assertThat(attempts.live(second)).isTrue();
        assertThat(attempts.stateFor(second)).as("a fresh accumulator and output check").isEqualTo("state-2");
        assertThat(attempts.release(second)).isTrue();
        assertThat(attempts.last()).isEqualTo("state-2");
    }

    @Test
    void onceTextWentOutTheAttemptIsCommittedAndNeverGivenUp() {
        StreamAttempts<String> attempts = new StreamAttempts<>(n -> "state-" + n);
        int first = attempts.start();
        attempts.stateFor(first);

        assertThat(attempts.release(first)).isTrue();

        assertThat(attempts.giveUpUnlessCommitted()).isTrue();
        assertThat(attempts.live(first)).isTrue();
        assertThat(attempts.release(first)).isTrue();
    }

    @Test
    void aLastAttemptThatProducedNothingStartsFromAFreshState() {
        StreamAttempts<String> attempts = new StreamAttempts<>(n -> "state-" + n);
        attempts.stateFor(attempts.start());
        attempts.giveUpUnlessCommitted();
        attempts.start();

        assertThat(attempts.last()).isEqualTo("state-2");
    }
}
