package dev.genaiplatform.evaluation;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * Settings of the evaluation service, under {@code platform.evaluation}.
 *
 * @param recentEventIds          how many of the latest event ids are remembered to drop redelivered events
 *                                ({@code platform.evaluation.recent-event-ids}, env
 *                                {@code EVALUATION_RECENT_EVENT_IDS}). A duplicate older than this window
 *                                is counted twice; each id costs roughly 150 bytes of heap.
 * @param highestTrackableLatency the largest latency the histograms resolve
 *                                ({@code platform.evaluation.highest-trackable-latency}, env
 *                                {@code EVALUATION_HIGHEST_TRACKABLE_LATENCY}); longer requests are
 *                                recorded as this value, so a percentile never exceeds it.
 */
@ConfigurationProperties("platform.evaluation")
record EvaluationProperties(int recentEventIds, Duration highestTrackableLatency) {

    EvaluationProperties {
        if (recentEventIds < 1) {
            throw new IllegalArgumentException("platform.evaluation.recent-event-ids must be at least 1");
        }
        if (highestTrackableLatency == null || highestTrackableLatency.toMillis() < 2) {
            throw new IllegalArgumentException("platform.evaluation.highest-trackable-latency must be at least 2ms");
        }
    }
}
