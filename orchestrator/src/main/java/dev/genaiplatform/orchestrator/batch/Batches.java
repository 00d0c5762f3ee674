package dev.genaiplatform.orchestrator.batch;

import dev.genaiplatform.contracts.chat.BatchLineQueuedCommand.PriorityClass;
import dev.genaiplatform.contracts.problem.ProblemType;
import dev.genaiplatform.orchestrator.chat.ChatCompletionException;
import dev.genaiplatform.orchestrator.security.Caller;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.util.StringUtils;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The batch API's work: accept a batch (admission, input file, line checks, store, queue), show it, list, cancel, and
 * serve its output and error files. Every read is scoped to the caller's tenant; another tenant's batch is a 404.
 */
final class Batches {

    private static final Logger log = LoggerFactory.getLogger(Batches.class);

    static final String ENDPOINT = "/v1/chat/completions";
    static final String WINDOW = "24h";
    /** The metadata key a client names its batch's priority class with. */
    static final String PRIORITY_KEY = "priority";
    private static final Duration WINDOW_DURATION = Duration.ofHours(24);

    private final BatchStore store;
    private final InputFiles files;
    private final InputLines lines;
    private final WorkQueue queue;
    private final AdmissionControl admission;
    private final ActingTokens tokens;
    private final BatchGrants grants;
    private final BatchSettings settings;

    Batches(BatchStore store, InputFiles files, InputLines lines, WorkQueue queue, AdmissionControl admission,
            ActingTokens tokens, BatchGrants grants, BatchSettings settings) {
        this.store = store;
        this.files = files;
        this.lines = lines;
        this.queue = queue;
        this.admission = admission;
        this.tokens = tokens;
        this.grants = grants;
        this.settings = settings;
    }

    /** {@code POST /v1/batches}; {@code grantHeader} is the gateway's batch grant, or null (see {@link BatchGrants}). */
    Map<String, Object> create(CreateBatch request, Jwt token, String grantHeader) {
        Caller caller = Caller.from(token);
        request.validate();
        // the grant is checked before anything is read or stored: a bad one refuses the whole batch
        String grant = this.grants.verify(grantHeader, caller).map(Jwt::getTokenValue).orElse(null);
        PriorityClass priority = request.priority();
        this.admission.admit(priority);
        this.tokens.offer(token);
        String id = "batch_" + UUID.randomUUID().toString().replace("-", "");
        byte[] content = this.files.read(request.inputFileId(), caller.token());
        List<BatchLine> read = this.lines.read(id, content, request.endpoint(), caller);
        if (read.isEmpty()) {
            throw new ChatCompletionException(ProblemType.EMPTY_FILE,
                    "File '" + request.inputFileId() + "' has no lines.", "input_file_id", null, null);
        }
        if (read.size() > this.settings.maxLines()) {
            throw new ChatCompletionException(ProblemType.INVALID_VALUE, "File '" + request.inputFileId() + "' has "
                    + read.size() + " lines; a batch takes at most " + this.settings.maxLines() + ".",
                    "input_file_id", null, null);
        }
        List<WorkQueue.Item> work = read.stream().filter(line -> BatchLine.QUEUED.equals(line.status()))
                .map(line -> new WorkQueue.Item(id, line.index(), line.provider(), priority)).toList();
        Instant now = Instant.now();
        boolean nothingToRun = work.isEmpty();
        List<Map<String, Object>> errors = nothingToRun ? read.stream().limit(10)
                .map(line -> Map.<String, Object>of("code", line.result().path("error").path("code").asString(),
                        "message", line.result().path("error").path("message").asString(), "param", "input_file_id",
                        "line", line.index() + 1)).toList() : null;
        Batch batch = new Batch(id, caller.tenantId(), caller.keyId(), caller.userId(), caller.groups(),
                new LinkedHashSet<>(caller.models()), request.endpoint(), request.inputFileId(),
                request.completionWindow(), request.metadata(), nothingToRun ? Batch.FAILED : Batch.IN_PROGRESS,
                errors, read.size(), now, nothingToRun ? null : now, now.plus(WINDOW_DURATION), null, null,
                nothingToRun ? now : null, null, null, null, priority);
        this.store.create(batch, read, grant);
        if (!nothingToRun) {
            try {
                // with a grant every line's record carries it, so the lines run while nobody polls
                this.queue.publish(work, caller.tenantId(), grant != null ? grant : caller.token());
            }
            catch (RuntimeException unavailable) {
                log.warn("Batch {} could not be queued; it is cancelled: {}", id, unavailable.getMessage());
                this.store.cancel(id);
                this.store.finalizeIfDone(id);
                throw new ChatCompletionException(ProblemType.DEPENDENCY_UNAVAILABLE,
                        "The batch queue (Kafka) is unavailable; the batch was not started. Try again.", null,
                        Duration.ofSeconds(5), unavailable);
            }
        }
        return view(this.store.find(id).orElseThrow());
    }

    /** {@code GET /v1/batches/{id}}; the caller's fresh token also lets parked lines of its key go on. */
    Map<String, Object> get(String id, Jwt token) {
        Batch batch = owned(id, token);
        refresh(token);
        return view(batch);
    }

    /** {@code GET /v1/batches}: newest first, OpenAI's cursor paging. */
    Map<String, Object> list(String after, Integer limit, Jwt token) {
        int size = limit == null ? 20 : limit;
        if (size < 1 || size > 100) {
            throw new ChatCompletionException(ProblemType.INVALID_VALUE, "'limit' must be between 1 and 100.",
                    "limit", null, null);
        }
        Caller caller = Caller.from(token);
        if (after != null) {
            owned(after, token);
        }
        refresh(token);
        List<Batch> page = this.store.list(caller.tenantId(), after, size + 1);
        List<Map<String, Object>> data = page.stream().limit(size).map(this::view).toList();
        return BatchObjects.list(data, page.size() > size);
    }

    /** {@code POST /v1/batches/{id}/cancel}: lines not started are cancelled, running ones finish. */
    Map<String, Object> cancel(String id, Jwt token) {
        Batch batch = owned(id, token);
        if (!this.store.cancel(batch.id()) && !Batch.CANCELLING.equals(batch.status())
                && !Batch.CANCELLED.equals(batch.status())) {
            throw new ChatCompletionException(ProblemType.CONFLICT,
                    "Batch '" + id + "' is " + batch.status() + " and can no longer be cancelled.", null, null, null);
        }
        this.store.finalizeIfDone(batch.id());
        return view(this.store.find(batch.id()).orElseThrow());
    }

    /** {@code GET /v1/files/file-batch-...}: the object of an output or error file. */
    Map<String, Object> file(String fileId, Jwt token) {
        BatchFile file = batchFile(fileId, token);
        return BatchObjects.file(fileId, file.batch(), content(file).length(), file.output());
    }

    /** {@code GET /v1/files/file-batch-.../content}: JSONL, one result per line, in input order. */
    String content(String fileId, Jwt token) {
        return content(batchFile(fileId, token));
    }

    private String content(BatchFile file) {
        List<String> results = this.store.results(file.batch().id(), file.output());
        return results.isEmpty() ? "" : String.join("\n", results) + "\n";
    }

    private record BatchFile(Batch batch, boolean output) {
    }

    private BatchFile batchFile(String fileId, Jwt token) {
        boolean output = fileId.endsWith("-output");
        boolean errors = fileId.endsWith("-errors");
        if (!fileId.startsWith("file-batch-") || !output && !errors) {
            throw notFound("file", fileId);
        }
        String batchId = "batch_" + fileId.substring("file-batch-".length(), fileId.lastIndexOf('-'));
        Batch batch = this.store.find(batchId, Caller.from(token).tenantId())
                .filter(Batch::finished).orElseThrow(() -> notFound("file", fileId));
        refresh(token);
        return new BatchFile(batch, output);
    }

    private Batch owned(String id, Jwt token) {
        return this.store.find(id, Caller.from(token).tenantId()).orElseThrow(() -> notFound("batch", id));
    }

    /** Keeps the caller's token to act with, and queues again what waited for one. */
    private void refresh(Jwt token) {
        this.tokens.offer(token);
        Caller caller = Caller.from(token);
        this.store.batchesWaitingForToken(caller.tenantId(), caller.keyId()).forEach(this::requeueParked);
    }

    /**
     * Queues again the lines of a batch that waited for a token, if this instance holds a live one of the batch's
     * key; the sweep calls it too, so lines parked on one instance go on when another received the token.
     */
    void requeueParked(String batchId) {
        Batch batch = this.store.find(batchId).orElse(null);
        if (batch == null) {
            return;
        }
        Optional<Jwt> acting = this.tokens.actingFor(batch.tenantId(), batch.keyId(),
                this.grants.decodeStored(this.store.grant(batchId)));
        if (acting.isEmpty()) {
            return;
        }
        List<BatchStore.Parked> parked = this.store.unpark(batchId);
        if (parked.isEmpty()) {
            return;
        }
        try {
            this.queue.publish(parked.stream().map(p -> new WorkQueue.Item(p.batchId(), p.index(), p.provider(),
                    batch.priority())).toList(), batch.tenantId(), acting.get().getTokenValue());
            log.info("Batch {}: {} lines that waited for a token are queued again", batchId, parked.size());
        }
        catch (RuntimeException unavailable) {
            // they stay queued in the store without a record: park them again for the next try
            parked.forEach(p -> this.store.park(p.batchId(), p.index()));
            log.warn("Batch {}: parked lines could not be queued again: {}", batchId, unavailable.getMessage());
        }
    }

    private Map<String, Object> view(Batch batch) {
        return BatchObjects.batch(batch, this.store.counts(batch.id()));
    }

    private static ChatCompletionException notFound(String what, String id) {
        return new ChatCompletionException(ProblemType.NOT_FOUND, "No " + what + " '" + id + "'.", null, null, null);
    }

    /** The body of {@code POST /v1/batches}. */
    record CreateBatch(@com.fasterxml.jackson.annotation.JsonProperty("input_file_id") String inputFileId,
                       String endpoint,
                       @com.fasterxml.jackson.annotation.JsonProperty("completion_window") String completionWindow,
                       Map<String, String> metadata) {

        void validate() {
            if (!StringUtils.hasText(this.inputFileId)) {
                throw new ChatCompletionException(ProblemType.MISSING_REQUIRED_PARAMETER,
                        "'input_file_id' is required.", "input_file_id", null, null);
            }
            if (!ENDPOINT.equals(this.endpoint)) {
                throw new ChatCompletionException(ProblemType.INVALID_VALUE,
                        "'endpoint' must be " + ENDPOINT + " (the only endpoint this platform batches).", "endpoint",
                        null, null);
            }
            if (!WINDOW.equals(this.completionWindow)) {
                throw new ChatCompletionException(ProblemType.INVALID_VALUE, "'completion_window' must be 24h.",
                        "completion_window", null, null);
            }
            if (this.metadata != null && (this.metadata.size() > 16 || this.metadata.entrySet().stream().anyMatch(
                    e -> e.getKey().length() > 64 || e.getValue() == null || e.getValue().length() > 512))) {
                throw new ChatCompletionException(ProblemType.INVALID_VALUE,
                        "'metadata' holds at most 16 pairs, keys up to 64 and values up to 512 characters.",
                        "metadata", null, null);
            }
            priority();
        }

        /**
         * The batch's priority class from {@code metadata.priority} (OpenAI's batch object has no priority field;
         * metadata is where the SDKs let a client say more): absent or {@code batch} gives {@code BATCH}, {@code bulk}
         * gives {@code BULK} (runs only while no ordinary batch line waits, shed first).
         */
        PriorityClass priority() {
            String asked = this.metadata == null ? null : this.metadata.get(PRIORITY_KEY);
            if (asked == null || "batch".equals(asked)) {
                return PriorityClass.BATCH;
            }
            if ("bulk".equals(asked)) {
                return PriorityClass.BULK;
            }
            throw new ChatCompletionException(ProblemType.INVALID_VALUE,
                    "'metadata.priority' must be \"batch\" (the default) or \"bulk\".", "metadata.priority", null,
                    null);
        }
    }
}
