package dev.genaiplatform.retrieval.api;

import dev.genaiplatform.contracts.retrieval.CitationSource;
import dev.genaiplatform.contracts.retrieval.ConversationTurn;
import dev.genaiplatform.retrieval.RetrievalProperties;
import dev.genaiplatform.contracts.retrieval.RetrievedChunk;
import dev.genaiplatform.retrieval.citation.CitationSources;
import dev.genaiplatform.retrieval.ingest.DocumentCatalog;
import dev.genaiplatform.contracts.problem.ProblemType;
import dev.genaiplatform.retrieval.search.ChunkSearch;
import dev.genaiplatform.retrieval.search.SearchScope;
import dev.genaiplatform.retrieval.search.SearchScopes;
import dev.genaiplatform.retrieval.security.Caller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;

/**
 * The platform's own retrieval API: the same search the orchestrator gets over Kafka (with hops, rewriting and a
 * conversation), what was ingested, and the source of a citation (ADR 0005). Unlike the Kafka listener, which must
 * always reply, HTTP refuses a bad request with a 400 problem.
 */
@RestController
@RequestMapping("/api/retrieval")
class RetrievalController {

    /**
     * @param topK        passages asked for
     * @param chunks      best first, with provenance and fused score
     * @param tookMillis  time spent searching
     * @param queries     every query that ran: the (rewritten) query, its alternatives, each hop's query
     * @param rewrittenBy {@code rules} or {@code model} when the query was rewritten, else null
     */
    record SearchResponse(int topK, List<RetrievedChunk> chunks, long tookMillis, List<String> queries, String rewrittenBy) {
    }

    /**
     * The search with a conversation: what the orchestrator sends over Kafka, as JSON.
     *
     * @param query        the question (required)
     * @param k            passages, 1..max-top-k (default default-top-k)
     * @param stores       vector store ids (default: the caller's default stores)
     * @param hops         1..3
     * @param rewrite      rewrite the query (null: the stores' or the service's default)
     * @param conversation earlier turns, oldest first, for making a follow-up stand alone
     * @param hyde         also search a model-written hypothetical answer (null: the stores' or the service's default)
     */
    record SearchRequestBody(String query, Integer k, List<String> stores, Integer hops, Boolean rewrite,
                             List<ConversationTurn> conversation, Boolean hyde) {
    }

    private static final int MAX_TURNS = 50;

    private final ChunkSearch search;
    private final DocumentCatalog catalog;
    private final SearchScopes scopes;
    private final CitationSources sources;
    private final boolean rewriteByDefault;
    private final boolean hydeByDefault;

    RetrievalController(ChunkSearch search, DocumentCatalog catalog, SearchScopes scopes, CitationSources sources,
                        RetrievalProperties properties) {
        this.rewriteByDefault = properties.rewrite().enabledByDefault();
        this.hydeByDefault = properties.hyde().enabledByDefault();
        this.search = search;
        this.catalog = catalog;
        this.scopes = scopes;
        this.sources = sources;
    }

    /**
     * {@code store} (repeatable) names vector stores; without it, the caller's default stores (as over Kafka).
     * {@code hops} 2 or 3 retrieves again with the names the first passages introduce; {@code rewrite=true} also
     * searches the query's alternatives (no conversation here: POST it); {@code queries} shows every query that ran.
     */
    @GetMapping("/search")
    SearchResponse search(@RequestParam String q, @RequestParam(required = false) Integer k,
                          @RequestParam(name = "store", required = false) List<String> stores,
                          @RequestParam(required = false) Integer hops, @RequestParam(required = false) Boolean rewrite,
                          @RequestParam(required = false) Boolean hyde) {
        return search(new SearchRequestBody(q, k, stores, hops, rewrite, List.of(), hyde), "q");
    }

    /** The same search with the conversation before the question, so a follow-up can be rewritten to stand alone. */
    @PostMapping("/search")
    SearchResponse search(@RequestBody SearchRequestBody request) {
        return search(request, "query");
    }

    private SearchResponse search(SearchRequestBody request, String queryParam) {
        String q = request.query();
        Integer k = request.k();
        Integer hops = request.hops();
        List<String> stores = request.stores();
        if (q == null || q.isBlank()) {
            throw new ApiException(ProblemType.INVALID_VALUE, "'" + queryParam + "' must not be blank", queryParam);
        }
        if (request.conversation() != null && request.conversation().size() > MAX_TURNS) {
            throw new ApiException(ProblemType.INVALID_VALUE, "'conversation' may hold at most " + MAX_TURNS + " turns", "conversation");
        }
        int maxTopK = search.limits().maxTopK();
        int topK = k == null ? search.limits().defaultTopK() : k;
        if (topK < 1 || topK > maxTopK) {
            throw new ApiException(ProblemType.INVALID_VALUE, "Query parameter 'k' must be between 1 and " + maxTopK + ", not " + k, "k");
        }
        if (hops != null && (hops < 1 || hops > 3)) {
            throw new ApiException(ProblemType.INVALID_VALUE, "Query parameter 'hops' must be between 1 and 3", "hops");
        }
        SearchScope scope;
        try {
            scope = scopes.strict(Caller.current(), stores);
        } catch (SearchScopes.UnknownStoreException e) {
            throw ApiException.notFound("vector store", e.storeId());
        }
        boolean rewrite = request.rewrite() != null ? request.rewrite() : scopes.rewritesByDefault(Caller.current(), scope, rewriteByDefault);
        boolean hyde = request.hyde() != null ? request.hyde() : scopes.hydeByDefault(Caller.current(), scope, hydeByDefault);
        ChunkSearch.Result result = search.search(scope, q, topK, null, hops == null ? 1 : hops, rewrite, request.conversation(), hyde);
        return new SearchResponse(result.topK(), result.chunks(), result.tookMillis(), result.queries(), result.rewrittenBy());
    }

    /**
     * ADR 0005: the whole text of the document version a chunk came from, with the chunk's offsets. The chunk id
     * keeps its slashes in the path ({@code /api/retrieval/sources/vs_x/file-y%230}: only {@code #} is encoded).
     * Another tenant's chunk, one the caller's groups may not read, a replaced version and a deleted file all answer
     * the same 404 {@code document_not_found}.
     */
    @GetMapping("/sources/{*chunkId}")
    CitationSource source(@PathVariable String chunkId) {
        String id = chunkId.startsWith("/") ? chunkId.substring(1) : chunkId;
        return sources.open(Caller.current(), id).orElseThrow(() -> new ApiException(ProblemType.DOCUMENT_NOT_FOUND,
                "No document version you can read holds chunk '" + id + "' (it may have been replaced or deleted)", "chunkId"));
    }

    @GetMapping("/documents")
    DocumentCatalog.Snapshot documents() {
        return catalog.snapshot();
    }
}
