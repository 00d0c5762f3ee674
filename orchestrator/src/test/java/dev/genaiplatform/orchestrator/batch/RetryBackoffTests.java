package dev.genaiplatform.orchestrator.batch;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RetryBackoffTests {

    private final BatchSettings settings = new BatchSettings(null, 10, 1024, Map.of(), null, 1, null, 5,
            Duration.ofSeconds(2), Duration.ofSeconds(30), null, null, null, null, null, false);

    @Test
    void theWaitDoublesAfterEachTakeUpToTheCap() {
        assertThat(BatchWorker.backoff(this.settings, 1, null)).isEqualTo(Duration.ofSeconds(2));
        assertThat(BatchWorker.backoff(this.settings, 2, null)).isEqualTo(Duration.ofSeconds(4));
        assertThat(BatchWorker.backoff(this.settings, 4, null)).isEqualTo(Duration.ofSeconds(16));
        assertThat(BatchWorker.backoff(this.settings, 5, null)).isEqualTo(Duration.ofSeconds(30));
        assertThat(BatchWorker.backoff(this.settings, 60, null)).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void aProvidersLongerRetryAfterWinsButNotPastTheCap() {
        assertThat(BatchWorker.backoff(this.settings, 1, Duration.ofSeconds(7))).isEqualTo(Duration.ofSeconds(7));
        assertThat(BatchWorker.backoff(this.settings, 3, Duration.ofSeconds(1))).isEqualTo(Duration.ofSeconds(8));
        assertThat(BatchWorker.backoff(this.settings, 1, Duration.ofMinutes(5))).isEqualTo(Duration.ofSeconds(30));
    }
}
