package dev.genaiplatform.evaluation;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.net.URI;
import java.time.Duration;

/**
 * Settings of the evaluation service, under {@code platform.evaluation}.
 *
 * @param highestTrackableLatency the largest latency the Prometheus histograms resolve
 *                                ({@code platform.evaluation.highest-trackable-latency}, env
 *                                {@code EVALUATION_HIGHEST_TRACKABLE_LATENCY}); the stored events keep exact values
 * @param gateway                 how offline runs reach the platform: like any client, through the gateway
 * @param runs                    how offline runs are executed and scored
 * @param judge                   the optional LLM judge of groundedness (off by default)
 * @param completions             how completion events are fetched from Kafka
 */
@ConfigurationProperties("platform.evaluation")
public record EvaluationProperties(Duration highestTrackableLatency, Gateway gateway, Runs runs, Judge judge,
                                   Completions completions) {

    public EvaluationProperties {
        completions = completions == null
                ? new Completions(Completions.DEFAULT_FETCH_MAX_WAIT_MS, Completions.DEFAULT_FETCH_MIN_BYTES) : completions;
        if (highestTrackableLatency == null || highestTrackableLatency.toMillis() < 2) {
            throw new IllegalArgumentException("platform.evaluation.highest-trackable-latency must be at least 2ms");
        }
        if (gateway == null || runs == null) {
            throw new IllegalArgumentException("platform.evaluation.gateway and platform.evaluation.runs must be set");
        }
    }

    /**
     * @param url            the gateway's public URL ({@code platform.evaluation.gateway.url}, env
     *                       {@code PLATFORM_GATEWAY_URL}, default {@code http://127.0.0.1:8080})
     * @param apiKey         the API key runs use ({@code platform.evaluation.gateway.api-key}, env
     *                       {@code PLATFORM_EVALUATION_API_KEY}); it needs scopes {@code chat} and
     *                       {@code evaluation} (the second lets the orchestrator honour an experiment-arm override)
     * @param requestTimeout how long one chat call may take ({@code platform.evaluation.gateway.request-timeout})
     */
    public record Gateway(URI url, String apiKey, Duration requestTimeout) {
    }

    /**
     * An LLM judge through a real provider, next to the offline groundedness measure.
     *
     * @param enabled  {@code platform.evaluation.judge.enabled}, env {@code EVALUATION_JUDGE_ENABLED}, default false
     * @param baseUrl  OpenAI-compatible base URL with {@code /v1} ({@code EVALUATION_JUDGE_BASE_URL})
     * @param apiKey   the provider key ({@code EVALUATION_JUDGE_API_KEY}); never committed
     * @param model    the judge model ({@code EVALUATION_JUDGE_MODEL})
     */
    public record Judge(boolean enabled, URI baseUrl, String apiKey, String model) {
    }

    /**
     * @param concurrency        chat calls in flight at once per run ({@code platform.evaluation.runs.concurrency})
     * @param bootstrapResamples resamples for the confidence intervals ({@code platform.evaluation.runs.bootstrap-resamples})
     * @param maxConcurrentRuns  runs executing at once; more are queued ({@code platform.evaluation.runs.max-concurrent-runs})
     */
    public record Runs(int concurrency, int bootstrapResamples, int maxConcurrentRuns) {
        public Runs {
            if (concurrency < 1 || maxConcurrentRuns < 1 || bootstrapResamples < 100) {
                throw new IllegalArgumentException("platform.evaluation.runs: concurrency and max-concurrent-runs >= 1, "
                        + "bootstrap-resamples >= 100");
            }
        }
    }

    /**
     * @param fetchMaxWaitMs how long the broker may hold a fetch of completion events for more to arrive
     *                       ({@code platform.evaluation.completions.fetch-max-wait-ms}, env
     *                       {@code EVALUATION_COMPLETIONS_FETCH_MAX_WAIT_MS}, default 200): one poll, listener call,
     *                       insert and offset commit then serves every event of that time, instead of one each. Also
     *                       how much longer feedback waits for a completion that is not recorded yet (plus a margin)
     * @param fetchMinBytes  a fetch returns as soon as this much arrived ({@code ...fetch-min-bytes}, default 65536);
     *                       1 restores the fetch at the first event (the benchmark's "before")
     */
    public record Completions(int fetchMaxWaitMs, int fetchMinBytes) {

        public static final int DEFAULT_FETCH_MAX_WAIT_MS = 200;
        public static final int DEFAULT_FETCH_MIN_BYTES = 65_536;

        public Completions {
            if (fetchMaxWaitMs < 0 || fetchMaxWaitMs > 5_000) {
                throw new IllegalArgumentException("platform.evaluation.completions.fetch-max-wait-ms must be within 0..5000");
            }
            if (fetchMinBytes < 1) {
                throw new IllegalArgumentException("platform.evaluation.completions.fetch-min-bytes must be at least 1");
            }
        }

        /** How long feedback waits for its completion's event: the fetch wait plus the event's way through Kafka. */
        public Duration recordingGrace() {
            return Duration.ofMillis(fetchMaxWaitMs + 800L);
        }
    }
}
