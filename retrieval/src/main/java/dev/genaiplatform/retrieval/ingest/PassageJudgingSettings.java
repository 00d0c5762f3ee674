package dev.genaiplatform.retrieval.ingest;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * Judging indexed passages as untrusted data once, by guardrails, under {@code platform.retrieval.passage-verdicts}
 * (README, Wave 11).
 *
 * @param enabled   ask guardrails to judge every newly indexed passage ({@code RETRIEVAL_PASSAGE_VERDICTS_ENABLED});
 *                  off, search results carry no verdicts and the orchestrator screens every passage per request
 * @param timeout   how long one ask waits for guardrails' reply
 * @param batchSize passages per ask (one document's chunks go in asks of at most this many)
 * @param retryFor  how long the passages of one document are asked about again (with growing pauses) while
 *                  guardrails does not answer, e.g. while it is still starting; after that they stay unjudged and
 *                  are screened per request
 */
@ConfigurationProperties("platform.retrieval.passage-verdicts")
public record PassageJudgingSettings(@DefaultValue("true") boolean enabled,
                                     @DefaultValue("10s") Duration timeout,
                                     @DefaultValue("64") int batchSize,
                                     @DefaultValue("10m") Duration retryFor) {

    public PassageJudgingSettings {
        if (batchSize < 1 || timeout.isNegative() || timeout.isZero() || retryFor.isNegative()) {
            throw new IllegalArgumentException("platform.retrieval.passage-verdicts: batch-size must be at least 1, "
                    + "timeout positive, retry-for not negative");
        }
    }
}
