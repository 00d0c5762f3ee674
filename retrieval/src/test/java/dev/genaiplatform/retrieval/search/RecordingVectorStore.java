package dev.genaiplatform.retrieval.search;

import org.springframework.ai.document.Document;
import org.springframework.ai.vectorstore.SearchRequest;
import org.springframework.ai.vectorstore.VectorStore;
import org.springframework.ai.vectorstore.filter.Filter;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** A test double: records search requests and answers with the same two documents, cut to topK. */
public final class RecordingVectorStore implements VectorStore {

    private final List<SearchRequest> requests = new CopyOnWriteArrayList<>();

    public List<SearchRequest> requests() {
        return requests;
    }

    @Override
    public List<Document> similaritySearch(SearchRequest request) {
        requests.add(request);
        List<Document> documents = List.of(
                Document.builder().id("a.md#0").text("hello").score(0.5).metadata(Map.of("documentPath", "a.md",
                        "heading", "A > B", "startOffset", 3, "endOffset", 8)).build(),
                Document.builder().id("b.md#0").text("world").score(0.25).metadata(Map.of("documentPath", "b.md",
                        "heading", "", "startOffset", 0, "endOffset", 5)).build());
        return documents.subList(0, Math.min(documents.size(), request.getTopK()));
    }

    @Override
    public void add(List<Document> documents) {
        throw new IllegalStateException("read-only test store");
    }

    @Override
    public void delete(List<String> idList) {
        throw new IllegalStateException("read-only test store");
    }

    @Override
    public void delete(Filter.Expression filterExpression) {
        throw new IllegalStateException("read-only test store");
    }
}
