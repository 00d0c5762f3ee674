package dev.genaiplatform.retrieval.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.genaiplatform.contracts.problem.ProblemType;
import dev.genaiplatform.contracts.retrieval.RetrievedChunk;
import dev.genaiplatform.retrieval.catalog.FileCatalog;
import dev.genaiplatform.retrieval.catalog.StoredFile;
import dev.genaiplatform.retrieval.catalog.VectorStoreCatalog;
import dev.genaiplatform.retrieval.catalog.VectorStoreFileRow;
import dev.genaiplatform.retrieval.catalog.VectorStoreRow;
import dev.genaiplatform.retrieval.chunking.ChunkingStrategies;
import dev.genaiplatform.retrieval.ingest.CorpusIngestor;
import dev.genaiplatform.retrieval.ingest.DocumentRemoval;
import dev.genaiplatform.retrieval.ingest.IngestionRequests;
import dev.genaiplatform.retrieval.search.AttributeFilters;
import dev.genaiplatform.retrieval.search.ChunkSearch;
import dev.genaiplatform.retrieval.search.SearchScope;
import dev.genaiplatform.retrieval.search.SearchScopes;
import dev.genaiplatform.retrieval.security.Caller;
import org.springframework.ai.vectorstore.filter.Filter;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * OpenAI's Vector Stores API for the caller's tenant: create, list, get, delete, and {@code search}. A store can
 * start with {@code file_ids} and sets the default {@code chunking_strategy} of its files. The public corpus
 * {@code vs_platform_docs} can be searched by every tenant but not listed or changed.
 */
@RestController
@RequestMapping("/v1/vector_stores")
class VectorStoresController {

    record CreateRequest(String name, @JsonProperty("file_ids") List<String> fileIds, Map<String, Object> metadata,
                         @JsonProperty("chunking_strategy") Map<String, Object> chunkingStrategy) {
    }

    record SearchRequestBody(Object query, @JsonProperty("max_num_results") Integer maxNumResults, Object filters,
                             @JsonProperty("rewrite_query") Boolean rewriteQuery, Boolean hyde) {
    }

    private static final int MAX_RESULTS = 50;
    private static final int MAX_METADATA_KEYS = 16;

    private final VectorStoreCatalog stores;
    private final FileCatalog files;
    private final ChunkingStrategies strategies;
    private final IngestionRequests ingestion;
    private final DocumentRemoval removal;
    private final SearchScopes scopes;
    private final ChunkSearch search;
    private final Clock clock;
    private final boolean rewriteByDefault;
    private final boolean hydeByDefault;

    VectorStoresController(VectorStoreCatalog stores, FileCatalog files, ChunkingStrategies strategies,
                           IngestionRequests ingestion, DocumentRemoval removal, SearchScopes scopes, ChunkSearch search,
                           Clock clock, dev.genaiplatform.retrieval.RetrievalProperties properties) {
        this.rewriteByDefault = properties.rewrite().enabledByDefault();
        this.hydeByDefault = properties.hyde().enabledByDefault();
        this.stores = stores;
        this.files = files;
        this.strategies = strategies;
        this.ingestion = ingestion;
        this.removal = removal;
        this.scopes = scopes;
        this.search = search;
        this.clock = clock;
    }

    @PostMapping
    OpenAiShapes.VectorStoreObject create(@RequestBody(required = false) CreateRequest request) {
        Caller caller = Caller.current();
        CreateRequest body = request == null ? new CreateRequest(null, null, null, null) : request;
        Map<String, Object> chunking = chunking(body.chunkingStrategy());
        Map<String, Object> metadata = body.metadata() == null ? Map.of() : body.metadata();
        if (metadata.size() > MAX_METADATA_KEYS) {
            throw new ApiException(ProblemType.INVALID_VALUE, "metadata holds at most " + MAX_METADATA_KEYS + " keys", "metadata");
        }
        List<StoredFile> initial = body.fileIds() == null ? List.of()
                : body.fileIds().stream().map(id -> VectorStoreFilesController.file(files, caller, id)).toList();
        Instant now = clock.instant();
        VectorStoreRow store = stores.insert(new VectorStoreRow("vs_" + Ids.random(), caller.tenant(), body.name(),
                chunking, metadata, now, now));
        initial.forEach(file -> ingestion.add(caller, store, file, Map.of(), chunking, null));
        return toObject(store);
    }

    @GetMapping
    OpenAiShapes.ListPage<OpenAiShapes.VectorStoreObject> list(@RequestParam(required = false) Integer limit,
                                                               @RequestParam(required = false) String order,
                                                               @RequestParam(required = false) String after) {
        return Pages.page(stores.list(Caller.current().tenant()).stream().map(this::toObject).toList(),
                OpenAiShapes.VectorStoreObject::id, limit, order, after, 100);
    }

    @GetMapping("/{storeId}")
    OpenAiShapes.VectorStoreObject get(@PathVariable String storeId) {
        return toObject(find(stores, Caller.current(), storeId));
    }

    @DeleteMapping("/{storeId}")
    OpenAiShapes.Deleted delete(@PathVariable String storeId) {
        if (!removal.deleteStore(Caller.current(), storeId)) {
            throw ApiException.notFound("vector store", storeId);
        }
        return new OpenAiShapes.Deleted(storeId, "vector_store.deleted", true);
    }

    @PostMapping("/{storeId}/search")
    OpenAiShapes.SearchPage search(@PathVariable String storeId, @RequestBody SearchRequestBody request) {
        Caller caller = Caller.current();
        String query = query(request.query());
        int max = request.maxNumResults() == null ? 10 : request.maxNumResults();
        if (max < 1 || max > MAX_RESULTS) {
            throw new ApiException(ProblemType.INVALID_VALUE, "max_num_results must be between 1 and " + MAX_RESULTS, "max_num_results");
        }
        Filter.Expression filter;
        try {
            filter = AttributeFilters.parse(request.filters());
        } catch (IllegalArgumentException e) {
            throw new ApiException(ProblemType.INVALID_FILTER, "Invalid filters: " + e.getMessage(), "filters");
        }
        SearchScope scope;
        try {
            scope = scopes.strict(caller, List.of(storeId));
        } catch (SearchScopes.UnknownStoreException e) {
            throw ApiException.notFound("vector store", storeId);
        }
        boolean rewrite = request.rewriteQuery() != null ? request.rewriteQuery()
                : scopes.rewritesByDefault(caller, scope, rewriteByDefault);
        boolean hyde = request.hyde() != null ? request.hyde() : scopes.hydeByDefault(caller, scope, hydeByDefault);
        ChunkSearch.Result result = search.search(scope, query, max, filter, 1, rewrite, List.of(), hyde);
        List<RetrievedChunk> chunks = result.chunks();
        Map<String, Map<String, Object>> attributes = new HashMap<>();
        List<OpenAiShapes.SearchHit> hits = chunks.stream().map(chunk -> new OpenAiShapes.SearchHit(
                chunk.fileId() == null ? chunk.documentPath() : chunk.fileId(), chunk.documentPath(), chunk.score(),
                chunk.fileId() == null ? Map.of() : attributes.computeIfAbsent(chunk.fileId(), id -> stores
                        .findFile(caller.tenant(), storeId, id).map(VectorStoreFileRow::attributes).orElse(Map.of())),
                List.of(new OpenAiShapes.TextContent("text", chunk.text())), chunk.chunkId(), chunk.heading(),
                chunk.startOffset(), chunk.endOffset(), chunk.fileVersion(), chunk.title(),
                chunk.asOf() == null ? null : chunk.asOf().toString())).toList();
        if (!CorpusIngestor.PUBLIC_STORE_ID.equals(storeId)) { // the public corpus is not in the catalogue
            stores.touch(storeId, clock.instant());
        }
        // OpenAI's search_query: what was actually searched (the rewrites, when rewrite_query was on)
        return new OpenAiShapes.SearchPage("vector_store.search_results.page", result.queries(), hits, false, null);
    }

    private Map<String, Object> chunking(Map<String, Object> requested) {
        try {
            return strategies.normalise(requested);
        } catch (IllegalArgumentException e) {
            throw new ApiException(ProblemType.INVALID_VALUE, "Invalid chunking_strategy: " + e.getMessage(), "chunking_strategy");
        }
    }

    private static String query(Object query) {
        String text = switch (query) {
            case String single -> single;
            case List<?> many when !many.isEmpty() && many.stream().allMatch(String.class::isInstance) ->
                    String.join("\n", many.stream().map(String.class::cast).toList());
            case null -> throw new ApiException(ProblemType.MISSING_REQUIRED_PARAMETER, "query is required", "query");
            default -> throw new ApiException(ProblemType.INVALID_TYPE, "query must be a string or an array of strings", "query");
        };
        if (text.isBlank()) {
            throw new ApiException(ProblemType.INVALID_VALUE, "query must not be blank", "query");
        }
        return text;
    }

    static VectorStoreRow find(VectorStoreCatalog stores, Caller caller, String storeId) {
        return stores.find(caller.tenant(), storeId).orElseThrow(() -> ApiException.notFound("vector store", storeId));
    }

    private OpenAiShapes.VectorStoreObject toObject(VectorStoreRow store) {
        VectorStoreCatalog.FileCounts counts = stores.counts(store.id(), null);
        return new OpenAiShapes.VectorStoreObject(store.id(), "vector_store", store.createdAt().getEpochSecond(), store.name(),
                stores.usageBytes(store.id()), VectorStoreFilesController.counts(counts),
                counts.inProgress() > 0 ? "in_progress" : "completed", null, null, store.lastActiveAt().getEpochSecond(),
                store.metadata(), store.chunking());
    }
}
