package dev.genaiplatform.retrieval.rerank;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.ai.document.Document;
import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;

import java.util.ArrayList;
import java.util.List;

/**
 * A hosted cross-encoder through the re-rank API shape Cohere and Jina share:
 * {@code POST {base-url}/rerank {"model","query","documents":[...],"top_n"}} answering
 * {@code {"results":[{"index","relevance_score"}]}}. Off by default (it sends passages to a third party); when the
 * call fails or times out, the first-stage order is kept and the failure logged, so a re-rank outage degrades
 * quality, never availability.
 */
public final class HostedReranker implements Reranker {

    record RerankRequest(String model, String query, List<String> documents, @JsonProperty("top_n") int topN) {
    }

    record RerankResult(int index, @JsonProperty("relevance_score") double relevanceScore) {
    }

    record RerankResponse(List<RerankResult> results) {
    }

    private static final Logger log = LoggerFactory.getLogger(HostedReranker.class);

    private final RestClient http;
    private final String model;

    public HostedReranker(RestClient http, String model) {
        this.http = http;
        this.model = model;
    }

    @Override
    public List<Document> rerank(String query, float[] queryVector, List<Document> candidates, int topK) {
        if (candidates.isEmpty()) {
            return candidates;
        }
        try {
            RerankResponse response = http.post().uri("/rerank").contentType(MediaType.APPLICATION_JSON)
                    .body(new RerankRequest(model, query, candidates.stream().map(Document::getText).toList(),
                            Math.min(topK, candidates.size())))
                    .retrieve().body(RerankResponse.class);
            List<Document> reranked = new ArrayList<>();
            for (RerankResult result : response == null || response.results() == null ? List.<RerankResult>of() : response.results()) {
                if (result.index() >= 0 && result.index() < candidates.size() && reranked.size() < topK) {
                    reranked.add(candidates.get(result.index()).mutate().score(result.relevanceScore()).build());
                }
            }
            return reranked.isEmpty() ? NONE.rerank(query, queryVector, candidates, topK) : reranked;
        } catch (RestClientException e) {
            log.warn("Hosted re-rank failed, keeping the first-stage order: {}", e.getMessage());
            return NONE.rerank(query, queryVector, candidates, topK);
        }
    }
}
