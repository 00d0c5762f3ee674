package dev.genaiplatform.orchestrator.batch;

import dev.genaiplatform.contracts.chat.BatchLineQueuedCommand.PriorityClass;
import dev.genaiplatform.contracts.problem.ProblemType;
import dev.genaiplatform.orchestrator.chat.ChatCompletionException;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * Sheds new batch work when the batch queue is already long: a new batch is refused with 429 {@code overloaded} and a
 * {@code Retry-After} while the queue's wait is above {@code max-queue-wait}. The wait is the larger of what is
 * measured (how long the oldest queued line has waited) and what is coming (lines queued per provider divided by the
 * rate batch work may send that provider). Interactive requests are never shed here: they do not queue. Bulk batches
 * are measured against a lower bar and wait behind every line, so they are shed before ordinary ones.
 */
final class AdmissionControl {

    private final BatchStore store;
    private final ProviderBuckets buckets;
    private final Duration maxWait;
    private final Duration maxBulkWait;

    AdmissionControl(BatchStore store, ProviderBuckets buckets, Duration maxWait, Duration maxBulkWait) {
        this.store = store;
        this.buckets = buckets;
        this.maxWait = maxWait;
        this.maxBulkWait = maxBulkWait;
    }

    /**
     * The batch queue's wait as a new line of class {@code joining} would see it: a batch line waits behind batch
     * lines only; a bulk line behind every queued line.
     */
    Duration queueWait(PriorityClass joining) {
        Duration waited = this.store.oldestQueued(joining).map(oldest -> Duration.between(oldest, Instant.now()))
                .filter(wait -> !wait.isNegative()).orElse(Duration.ZERO);
        Duration ahead = Duration.ZERO;
        for (Map.Entry<String, Integer> queued : this.store.queuedByProvider(joining).entrySet()) {
            Duration drain = Duration.ofMillis((long) Math.ceil(queued.getValue() * 1000
                    / this.buckets.rate(queued.getKey())));
            ahead = drain.compareTo(ahead) > 0 ? drain : ahead;
        }
        return waited.compareTo(ahead) > 0 ? waited : ahead;
    }

    /**
     * Throws the 429 when a new batch of class {@code priority} must wait; the client is told to come back when the
     * wait is under the bar. Bulk batches meet the lower bar ({@code max-bulk-queue-wait}) and see the longer queue,
     * so they are shed first.
     */
    void admit(PriorityClass priority) {
        boolean bulk = priority == PriorityClass.BULK;
        Duration bar = bulk ? this.maxBulkWait : this.maxWait;
        Duration wait = queueWait(priority);
        if (wait.compareTo(bar) > 0) {
            Duration retryAfter = wait.minus(bar);
            throw new ChatCompletionException(ProblemType.OVERLOADED,
                    "The batch queue is " + wait.toSeconds() + " s long for a " + (bulk ? "bulk" : "batch")
                            + " batch (more than " + bar.toSeconds() + " s); new " + (bulk ? "bulk " : "")
                            + "batches are refused until it drains. Interactive requests are not affected.",
                    null, retryAfter.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : retryAfter, null);
        }
    }
}
