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
 */
@ConfigurationProperties("platform.evaluation")
public record EvaluationProperties(Duration highestTrackableLatency, Gateway gateway, Runs runs, Judge judge) {

    public EvaluationProperties {
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
}
