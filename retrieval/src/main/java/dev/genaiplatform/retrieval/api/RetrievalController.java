package dev.genaiplatform.retrieval.api;

import dev.genaiplatform.contracts.retrieval.RetrievedChunk;
import dev.genaiplatform.retrieval.ingest.DocumentCatalog;
import dev.genaiplatform.retrieval.search.ChunkSearch;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;

/**
 * HTTP for demos and debugging: the same search the orchestrator gets over Kafka, and what was ingested.
 * Unlike the Kafka listener, which must always reply, HTTP refuses a bad request with a 400 problem.
 */
@RestController
@RequestMapping("/api/retrieval")
class RetrievalController {

    /**
     * @param topK       passages asked for
     * @param chunks     best first, with provenance and fused score
     * @param tookMillis time spent searching
     */
    record SearchResponse(int topK, List<RetrievedChunk> chunks, long tookMillis) {
    }

    static final class InvalidSearchException extends RuntimeException {
        InvalidSearchException(String message) {
            super(message);
        }
    }

    private final ChunkSearch search;
    private final DocumentCatalog catalog;

    RetrievalController(ChunkSearch search, DocumentCatalog catalog) {
        this.search = search;
        this.catalog = catalog;
    }

    @GetMapping("/search")
    SearchResponse search(@RequestParam String q, @RequestParam(required = false) Integer k) {
        if (q.isBlank()) {
            throw new InvalidSearchException("Query parameter 'q' must not be blank");
        }
        int maxTopK = search.limits().maxTopK();
        int topK = k == null ? search.limits().defaultTopK() : k;
        if (topK < 1 || topK > maxTopK) {
            throw new InvalidSearchException("Query parameter 'k' must be between 1 and " + maxTopK + ", not " + k);
        }
        ChunkSearch.Result result = search.search(q, topK);
        return new SearchResponse(result.topK(), result.chunks(), result.tookMillis());
    }

    @GetMapping("/documents")
    DocumentCatalog.Snapshot documents() {
        return catalog.snapshot();
    }
}
