package dev.genaiplatform.simulator.serving;

import dev.genaiplatform.simulator.model.ModelProfile;
import dev.genaiplatform.simulator.tokens.TokenPiece;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import java.time.Duration;
import java.util.List;

import static com.knuddels.jtokkit.api.EncodingType.O200K_BASE;

/** Runs on Reactor's virtual clock: the delays are checked exactly, and the test takes no real time. */
class TokenPacerTests {

    private static final List<TokenPiece> THREE = List.of(new TokenPiece("a", 1), new TokenPiece(" b", 1),
            new TokenPiece(" c", 1));

    private final TokenPacer pacer = new TokenPacer();

    @Test
    void emitsTheFirstTokenAfterTheTimeToFirstTokenAndTheRestOneDelayApart() {
        Generation generation = new Generation(profile(Duration.ofMillis(150), Duration.ofMillis(15)), 10, THREE,
                FinishReason.STOP);

        StepVerifier.withVirtualTime(() -> pacer.generate(generation))
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(150))
                .expectNext(THREE.get(0))
                .expectNoEvent(Duration.ofMillis(15))
                .expectNext(THREE.get(1))
                .expectNoEvent(Duration.ofMillis(15))
                .expectNext(THREE.get(2))
                .verifyComplete();
    }

    @Test
    void emitsEverythingAtOnceWhenTheDelaysAreZero() {
        Generation generation = new Generation(profile(Duration.ZERO, Duration.ZERO), 10, THREE, FinishReason.STOP);

        StepVerifier.create(pacer.generate(generation))
                .expectNextSequence(THREE)
                .verifyComplete();
    }

    static ModelProfile profile(Duration timeToFirstToken, Duration interTokenDelay) {
        return new ModelProfile("sim-test", "test", 100, timeToFirstToken, interTokenDelay, O200K_BASE);
    }
}
