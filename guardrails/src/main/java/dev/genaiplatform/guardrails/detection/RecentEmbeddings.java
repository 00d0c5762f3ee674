package dev.genaiplatform.guardrails.detection;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.output.Response;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An embedding model that remembers the embeddings of the last {@code capacity} texts. The injection and
 * moderation classifiers embed the same normalised windows of the same message one after the other; with this
 * in front of MiniLM the second pays nothing. Entries are the windows' text, in memory only, evicted oldest
 * first. Thread-safe.
 */
public final class RecentEmbeddings implements EmbeddingModel {

    private final EmbeddingModel delegate;
    private final Map<String, Embedding> recent;

    public RecentEmbeddings(EmbeddingModel delegate, int capacity) {
        this.delegate = delegate;
        this.recent = new LinkedHashMap<>(capacity * 2, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Embedding> eldest) {
                return size() > capacity;
            }
        };
    }

    @Override
    public Response<List<Embedding>> embedAll(List<TextSegment> segments) {
        Embedding[] embeddings = new Embedding[segments.size()];
        List<TextSegment> missing = new ArrayList<>();
        List<Integer> missingAt = new ArrayList<>();
        synchronized (recent) {
            for (int i = 0; i < segments.size(); i++) {
                embeddings[i] = recent.get(segments.get(i).text());
                if (embeddings[i] == null) {
                    missing.add(segments.get(i));
                    missingAt.add(i);
                }
            }
        }
        if (!missing.isEmpty()) {
            List<Embedding> computed = delegate.embedAll(missing).content();
            synchronized (recent) {
                for (int k = 0; k < computed.size(); k++) {
                    embeddings[missingAt.get(k)] = computed.get(k);
                    recent.put(missing.get(k).text(), computed.get(k));
                }
            }
        }
        return Response.from(List.of(embeddings));
    }

    /** The remembered embedding of exactly {@code text}, without computing one; null when not remembered. */
    public Embedding recall(String text) {
        synchronized (recent) {
            return recent.get(text);
        }
    }

    @Override
    public Response<Embedding> embed(String text) {
        return Response.from(embedAll(List.of(TextSegment.from(text))).content().getFirst());
    }

    @Override
    public Response<Embedding> embed(TextSegment segment) {
        return Response.from(embedAll(List.of(segment)).content().getFirst());
    }

    @Override
    public int dimension() {
        return delegate.dimension();
    }
}
