package dev.genaiplatform.orchestrator.batch;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;
import java.util.Map;

/**
 * The batch lane's knobs ({@code platform.orchestrator.batch.*}).
 *
 * @param filesUrl        retrieval's base URL: input files are read from {@code GET /v1/files/{id}/content} there
 * @param maxLines        most lines one input file may hold
 * @param maxInputBytes   largest input file read
 * @param rates           per provider: how many lines per second batch work may send it (a token bucket per
 *                        provider and instance); providers not named get {@code default-rate}
 * @param defaultRate     the bucket of a provider {@code rates} does not name (5 per second, bursts of 10)
 * @param concurrency     consumer threads (lines in flight per instance; at most the topic's partitions)
 * @param lineTimeout     the deadline of one line's trip through the pipeline
 * @param maxAttempts     tries of a line that failed for a reason waiting may fix (503, 429), then it is an error
 * @param retryBackoff    wait before such a line is tried again, doubled at each take up to {@code retry-backoff-cap}
 *                        (a provider's longer {@code Retry-After} wins, up to the cap too)
 * @param retryBackoffCap longest wait between two takes of a line (the consumer pauses its partitions that long)
 * @param claimLease      a line claimed longer ago than this by an instance that died is taken over
 * @param maxQueueWait    admission control: new batches are refused (429 + Retry-After) while the batch queue's wait
 *                        is longer than this
 * @param tokenMargin     a token with less life left than this is not used to act (it would expire mid-line)
 * @param sweepInterval   how often expired batches are closed, stale claims taken over and finished batches finalized
 * @param maxBulkQueueWait admission control for {@code bulk} batches: the lower bar (they wait behind every queued
 *                        line, and are shed before ordinary batches)
 * @param sharedBuckets   the token buckets live in Redis, one per provider for all instances (each instance's own
 *                        while Redis is away); false: each instance has its own (N instances send N times the rate)
 */
@ConfigurationProperties("platform.orchestrator.batch")
public record BatchSettings(
        @DefaultValue("http://127.0.0.1:8082") String filesUrl,
        @DefaultValue("10000") int maxLines,
        @DefaultValue("52428800") long maxInputBytes,
        Map<String, Rate> rates,
        Rate defaultRate,
        @DefaultValue("2") int concurrency,
        @DefaultValue("60s") Duration lineTimeout,
        @DefaultValue("5") int maxAttempts,
        @DefaultValue("2s") Duration retryBackoff,
        @DefaultValue("30s") Duration retryBackoffCap,
        @DefaultValue("5m") Duration claimLease,
        @DefaultValue("10m") Duration maxQueueWait,
        @DefaultValue("15s") Duration tokenMargin,
        @DefaultValue("30s") Duration sweepInterval,
        @DefaultValue("2m") Duration maxBulkQueueWait,
        @DefaultValue("true") boolean sharedBuckets) {

    public BatchSettings {
        maxBulkQueueWait = maxBulkQueueWait == null ? Duration.ofMinutes(2) : maxBulkQueueWait;
        rates = rates == null ? Map.of() : Map.copyOf(rates);
        defaultRate = defaultRate == null ? new Rate(5, 10) : defaultRate;
    }

    /** The bucket for one provider. */
    public Rate rateOf(String provider) {
        return this.rates.getOrDefault(provider, this.defaultRate);
    }

    /**
     * A token bucket: {@code per-second} lines on average, up to {@code burst} at once after a quiet spell.
     */
    public record Rate(double perSecond, int burst) {

        public Rate {
            if (perSecond <= 0 || burst < 1) {
                throw new IllegalArgumentException("a batch rate needs per-second > 0 and burst >= 1");
            }
        }
    }
}
