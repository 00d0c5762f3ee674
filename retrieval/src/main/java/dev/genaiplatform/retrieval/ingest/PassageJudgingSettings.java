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
 * @param recheckAfter how long a search result's text found neither in memory nor in {@code passage_verdicts} is not
 *                  looked up in the table again (Wave 12: verdicts another instance stored are seen at once; passages
 *                  never judged do not cost a query per search)
 * @param pruneEvery how often the verdicts of texts no longer indexed are deleted (a sweep over the index, first one
 *                  interval after the built-in corpus is indexed); zero: never
 * @param judgeEvery how often the indexed passages still lacking a verdict under guardrails' current policy (judging
 *                  gave up while guardrails was down; the policy or the judge changed) are judged (a sweep over the
 *                  index, one probe per tenant, at most 10,000 texts per sweep); zero: never
 */
@ConfigurationProperties("platform.retrieval.passage-verdicts")
public record PassageJudgingSettings(@DefaultValue("true") boolean enabled,
                                     @DefaultValue("10s") Duration timeout,
                                     @DefaultValue("64") int batchSize,
                                     @DefaultValue("10m") Duration retryFor,
                                     @DefaultValue("10s") Duration recheckAfter,
                                     @DefaultValue("6h") Duration pruneEvery,
                                     @DefaultValue("15m") Duration judgeEvery) {

    public PassageJudgingSettings {
        if (batchSize < 1 || timeout.isNegative() || timeout.isZero() || retryFor.isNegative()
                || recheckAfter.isNegative() || pruneEvery.isNegative() || judgeEvery.isNegative()) {
            throw new IllegalArgumentException("platform.retrieval.passage-verdicts: batch-size must be at least 1, "
                    + "timeout positive, retry-for, recheck-after, prune-every and judge-every not negative");
        }
    }
}
