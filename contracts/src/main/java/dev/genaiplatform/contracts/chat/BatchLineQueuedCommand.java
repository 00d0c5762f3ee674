package dev.genaiplatform.contracts.chat;

import java.time.Instant;

/**
 * One line of an accepted batch ({@code POST /v1/batches}) waiting for a model: the orchestrator queues it when it
 * accepts the batch and any orchestrator instance runs it when the line's provider has capacity. The payload names
 * the work only; the request body, the tenant and what the caller may do are read from the orchestrator's own store,
 * and the record's {@code platform-auth} header carries a gateway token of the tenant and key that created the batch
 * (ADR 0004: a consumer verifies it and takes the tenant from it, never from this payload).
 *
 * @param batchId   the batch ({@code batch_...})
 * @param lineIndex the line's 0-based position in the input file
 * @param provider  the provider the line's model runs on: consumers take a line only when that provider has capacity
 * @param priority  the line's priority class; batch work always yields to interactive requests
 * @param queuedAt  when the line was queued (the queue's wait is measured from here)
 */
public record BatchLineQueuedCommand(String batchId, int lineIndex, String provider, PriorityClass priority,
                                     Instant queuedAt) {

    /**
     * Classes of work, highest first. {@code INTERACTIVE} requests are served at once and never queued; the class
     * is named so admission control and consumers rank queued work against it.
     */
    public enum PriorityClass {
        /** A person waits for the answer ({@code /v1/chat/completions}). */
        INTERACTIVE,
        /** Asynchronous work with a completion window ({@code /v1/batches}): waits behind interactive requests. */
        BATCH,
        /**
         * Batch work that asked to run last (backfills, offline evaluation): runs only while no {@code BATCH} line
         * waits, and is the first to be shed when the queues grow.
         */
        BULK
    }
}
