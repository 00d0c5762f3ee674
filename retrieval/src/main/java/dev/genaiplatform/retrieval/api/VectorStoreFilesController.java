package dev.genaiplatform.retrieval.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.genaiplatform.contracts.problem.ProblemType;
import dev.genaiplatform.retrieval.catalog.FileCatalog;
import dev.genaiplatform.retrieval.catalog.StoredFile;
import dev.genaiplatform.retrieval.catalog.VectorStoreCatalog;
import dev.genaiplatform.retrieval.catalog.VectorStoreFileRow;
import dev.genaiplatform.retrieval.catalog.VectorStoreRow;
import dev.genaiplatform.retrieval.chunking.ChunkingStrategies;
import dev.genaiplatform.retrieval.ingest.DocumentRemoval;
import dev.genaiplatform.retrieval.ingest.IngestionRequests;
import dev.genaiplatform.retrieval.security.Caller;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The files of a vector store and file batches: adding a file starts its asynchronous ingestion (status
 * {@code in_progress}, then {@code completed} or {@code failed} with {@code last_error}); poll the file or batch.
 * {@code attributes} (strings, numbers, booleans; at most 16) are what search {@code filters} compare.
 */
@RestController
@RequestMapping("/v1/vector_stores/{storeId}")
class VectorStoreFilesController {

    record AddFileRequest(@JsonProperty("file_id") String fileId, Map<String, Object> attributes,
                          @JsonProperty("chunking_strategy") Map<String, Object> chunkingStrategy) {
    }

    record BatchRequest(@JsonProperty("file_ids") List<String> fileIds, Map<String, Object> attributes,
                        @JsonProperty("chunking_strategy") Map<String, Object> chunkingStrategy) {
    }

    private static final Set<String> STATUSES = Set.of(VectorStoreFileRow.IN_PROGRESS, VectorStoreFileRow.COMPLETED,
            VectorStoreFileRow.FAILED, VectorStoreFileRow.CANCELLED);
    private static final int MAX_ATTRIBUTES = 16;
    private static final int MAX_BATCH = 500;

    private final VectorStoreCatalog stores;
    private final FileCatalog files;
    private final ChunkingStrategies strategies;
    private final IngestionRequests ingestion;
    private final DocumentRemoval removal;
    private final Clock clock;

    VectorStoreFilesController(VectorStoreCatalog stores, FileCatalog files, ChunkingStrategies strategies,
                               IngestionRequests ingestion, DocumentRemoval removal, Clock clock) {
        this.stores = stores;
        this.files = files;
        this.strategies = strategies;
        this.ingestion = ingestion;
        this.removal = removal;
        this.clock = clock;
    }

    @PostMapping("/files")
    OpenAiShapes.VectorStoreFileObject add(@PathVariable String storeId, @RequestBody AddFileRequest request) {
        Caller caller = Caller.current();
        VectorStoreRow store = VectorStoresController.find(stores, caller, storeId);
        if (request.fileId() == null || request.fileId().isBlank()) {
            throw new ApiException(ProblemType.MISSING_REQUIRED_PARAMETER, "file_id is required", "file_id");
        }
        StoredFile file = file(files, caller, request.fileId());
        return toObject(ingestion.add(caller, store, file, attributes(request.attributes()),
                chunking(store, request.chunkingStrategy()), null));
    }

    @GetMapping("/files")
    OpenAiShapes.ListPage<OpenAiShapes.VectorStoreFileObject> list(@PathVariable String storeId,
                                                                   @RequestParam(required = false) String filter,
                                                                   @RequestParam(required = false) Integer limit,
                                                                   @RequestParam(required = false) String order,
                                                                   @RequestParam(required = false) String after) {
        Caller caller = Caller.current();
        VectorStoresController.find(stores, caller, storeId);
        return Pages.page(stores.listFiles(caller.tenant(), storeId, status(filter), null).stream()
                .map(VectorStoreFilesController::toObject).toList(), OpenAiShapes.VectorStoreFileObject::id, limit, order, after, 100);
    }

    @GetMapping("/files/{fileId}")
    OpenAiShapes.VectorStoreFileObject get(@PathVariable String storeId, @PathVariable String fileId) {
        Caller caller = Caller.current();
        return toObject(stores.findFile(caller.tenant(), storeId, fileId)
                .orElseThrow(() -> ApiException.notFound("file in vector store " + storeId, fileId)));
    }

    @DeleteMapping("/files/{fileId}")
    OpenAiShapes.Deleted remove(@PathVariable String storeId, @PathVariable String fileId) {
        if (!removal.removeFromStore(Caller.current(), storeId, fileId)) {
            throw ApiException.notFound("file in vector store " + storeId, fileId);
        }
        return new OpenAiShapes.Deleted(fileId, "vector_store.file.deleted", true);
    }

    @PostMapping("/file_batches")
    OpenAiShapes.FileBatchObject createBatch(@PathVariable String storeId, @RequestBody BatchRequest request) {
        Caller caller = Caller.current();
        VectorStoreRow store = VectorStoresController.find(stores, caller, storeId);
        if (request.fileIds() == null || request.fileIds().isEmpty()) {
            throw new ApiException(ProblemType.EMPTY_ARRAY, "file_ids must name at least one file", "file_ids");
        }
        if (request.fileIds().size() > MAX_BATCH) {
            throw new ApiException(ProblemType.INVALID_VALUE, "a batch holds at most " + MAX_BATCH + " files", "file_ids");
        }
        List<StoredFile> batchFiles = request.fileIds().stream().distinct().map(id -> file(files, caller, id)).toList();
        Map<String, Object> attributes = attributes(request.attributes());
        Map<String, Object> chunking = chunking(store, request.chunkingStrategy());
        String batchId = "vsfb_" + Ids.random();
        stores.insertBatch(batchId, storeId, caller.tenant(), clock.instant());
        batchFiles.forEach(file -> {
            stores.addToBatch(batchId, file.id());
            ingestion.add(caller, store, file, attributes, chunking, batchId);
        });
        return batch(caller, storeId, batchId);
    }

    @GetMapping("/file_batches/{batchId}")
    OpenAiShapes.FileBatchObject getBatch(@PathVariable String storeId, @PathVariable String batchId) {
        return batch(Caller.current(), storeId, batchId);
    }

    @GetMapping("/file_batches/{batchId}/files")
    OpenAiShapes.ListPage<OpenAiShapes.VectorStoreFileObject> batchFiles(@PathVariable String storeId, @PathVariable String batchId,
                                                                         @RequestParam(required = false) String filter,
                                                                         @RequestParam(required = false) Integer limit,
                                                                         @RequestParam(required = false) String order,
                                                                         @RequestParam(required = false) String after) {
        Caller caller = Caller.current();
        batch(caller, storeId, batchId);
        return Pages.page(stores.listFiles(caller.tenant(), storeId, status(filter), batchId).stream()
                .map(VectorStoreFilesController::toObject).toList(), OpenAiShapes.VectorStoreFileObject::id, limit, order, after, 100);
    }

    private OpenAiShapes.FileBatchObject batch(Caller caller, String storeId, String batchId) {
        var createdAt = stores.batchCreatedAt(caller.tenant(), storeId, batchId)
                .orElseThrow(() -> ApiException.notFound("file batch in vector store " + storeId, batchId));
        VectorStoreCatalog.FileCounts counts = stores.counts(storeId, batchId);
        return new OpenAiShapes.FileBatchObject(batchId, "vector_store.files_batch", createdAt.getEpochSecond(), storeId,
                counts.inProgress() > 0 ? "in_progress" : "completed", counts(counts));
    }

    /** The caller's file, if it is a document: Batch API input is kept for the batch lane and never indexed. */
    static StoredFile file(FileCatalog files, Caller caller, String fileId) {
        StoredFile file = files.find(caller.tenant(), fileId).orElseThrow(() -> new ApiException(ProblemType.NOT_FOUND,
                "No file found with id '" + fileId + "'", "file_id"));
        if (FilesController.BATCH_PURPOSE.equals(file.purpose()) || FilesController.isJsonLines(file.filename())) {
            throw new ApiException(ProblemType.INVALID_VALUE, "File '" + fileId + "' is Batch API input (purpose 'batch'):"
                    + " it is kept for batches and cannot be added to a vector store", "file_id");
        }
        return file;
    }

    private Map<String, Object> chunking(VectorStoreRow store, Map<String, Object> requested) {
        try {
            return requested == null ? store.chunking() : strategies.normalise(requested);
        } catch (IllegalArgumentException e) {
            throw new ApiException(ProblemType.INVALID_VALUE, "Invalid chunking_strategy: " + e.getMessage(), "chunking_strategy");
        }
    }

    private static Map<String, Object> attributes(Map<String, Object> attributes) {
        if (attributes == null) {
            return Map.of();
        }
        if (attributes.size() > MAX_ATTRIBUTES) {
            throw new ApiException(ProblemType.INVALID_VALUE, "attributes holds at most " + MAX_ATTRIBUTES + " keys", "attributes");
        }
        attributes.forEach((key, value) -> {
            boolean scalar = value instanceof String || value instanceof Number || value instanceof Boolean;
            if (key.isBlank() || key.length() > 64 || !scalar || String.valueOf(value).length() > 512) {
                throw new ApiException(ProblemType.INVALID_VALUE, "attribute '" + key
                        + "' must have a key of 1 to 64 characters and a string (up to 512), number or boolean value", "attributes");
            }
        });
        return attributes;
    }

    private static String status(String filter) {
        if (filter != null && !STATUSES.contains(filter)) {
            throw new ApiException(ProblemType.INVALID_VALUE, "filter must be one of " + STATUSES, "filter");
        }
        return filter;
    }

    static OpenAiShapes.FileCounts counts(VectorStoreCatalog.FileCounts counts) {
        return new OpenAiShapes.FileCounts(counts.inProgress(), counts.completed(), counts.failed(), counts.cancelled(), counts.total());
    }

    static OpenAiShapes.VectorStoreFileObject toObject(VectorStoreFileRow row) {
        OpenAiShapes.LastError error = row.errorCode() == null ? null : new OpenAiShapes.LastError(row.errorCode(), row.errorMessage());
        return new OpenAiShapes.VectorStoreFileObject(row.fileId(), "vector_store.file", row.usageBytes(),
                row.createdAt().getEpochSecond(), row.vectorStoreId(), row.status(), error, row.chunking(), row.attributes(),
                row.version(), new OpenAiShapes.Progress(row.stage(), row.chunksDone(), row.chunksTotal()));
    }
}
