package dev.genaiplatform.retrieval.search;

import org.springframework.ai.document.Document;
import org.springframework.ai.document.MetadataMode;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.vectorstore.SearchRequest;
import org.springframework.ai.vectorstore.VectorStore;
import org.springframework.ai.vectorstore.filter.Filter;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

/**
 * The chunk index behind the service: a Spring AI {@link VectorStore} that searches hybrid (a lexical leg and a
 * vector leg fused by reciprocal rank), plus what ingestion and citations need beyond that interface: embedding
 * outside any lock ({@link #prepare}), an atomic delete-and-add ({@link #replace}), counting and a lookup by id under
 * an access filter. Two implementations, chosen by {@code platform.retrieval.store}: {@link LuceneHybridVectorStore}
 * (embedded, the default) and {@link PgVectorChunkIndex} (PostgreSQL with pgvector, shared by every instance).
 *
 * <p>Both apply the filter of a {@link SearchRequest} (the caller's {@link SearchScope}) inside both legs, never
 * after them, and understand the same filter expressions: {@code ==}, {@code !=}, {@code in}, {@code nin}, AND, OR,
 * NOT on string metadata; a list-valued field (access groups) matches when any of its values does.
 */
public interface ChunkIndex extends VectorStore {

    /** Metadata key of a result's unit vector (float[]), for re-rankers; not part of any wire record. */
    String EMBEDDING = "embedding";
    /** Metadata keys saying where each leg ranked a result (absent when that leg missed it). */
    String LEXICAL_RANK = "lexicalRank";
    String VECTOR_RANK = "vectorRank";

    /** Which legs a search runs: both fused (the service's way), or one alone (for measuring what each adds). */
    enum Legs {
        HYBRID, LEXICAL_ONLY, VECTOR_ONLY
    }

    /** A chunk embedded and ready to publish: the document, the text both legs index, its unit vector. */
    record PreparedChunk(Document document, String content, float[] vector) {
    }

    /** Embedded chunks waiting to be published by {@link #replace}. */
    record PreparedChunks(List<PreparedChunk> chunks) {
        public PreparedChunks {
            chunks = List.copyOf(chunks);
        }

        public int size() {
            return chunks.size();
        }
    }

    /**
     * Embeds the documents (the slow part, outside any lock), reporting how many are done after each batch.
     * Nothing is visible to searches until {@link #replace} publishes the result.
     */
    PreparedChunks prepare(List<Document> documents, IntConsumer progress);

    /**
     * Removes every chunk matching {@code remove} (may be null) and adds {@code chunks} as one atomic write: a
     * concurrent search sees the old chunks or the new ones, never both and never neither, and a crash keeps
     * the last complete write.
     */
    void replace(Filter.Expression remove, PreparedChunks chunks);

    /** How many chunks match the filter. */
    int count(Filter.Expression filter);

    /** How many chunks the index holds. */
    int size();

    /**
     * Hands every chunk's metadata value under {@code key} (the first, for a list; null when absent) and its text to
     * {@code passage}: one pass over the whole index, for sweeps such as pruning passage verdicts, never for searches.
     */
    void forEachPassage(String key, BiConsumer<String, String> passage);

    /** The chunk with this id only if it also matches {@code filter}: a chunk the caller may not read is absent. */
    Optional<Document> find(String id, Filter.Expression filter);

    /**
     * A search whose query vector was computed already ({@code queryVector}, unit length, the embedding of
     * {@code request.getQuery()} by this index's model), so one search embeds its query once even when a re-ranker
     * needs the vector too; null means "embed the query here".
     */
    List<Document> similaritySearch(SearchRequest request, Legs legs, float[] queryVector);

    /**
     * A search whose query vector may still be being computed (on another thread): an index that can runs its lexical
     * leg first and asks {@code pendingVector} only then, so the query's embedding and the BM25 leg overlap. The default
     * asks first. {@code pendingVector} must give what {@link #similaritySearch(SearchRequest, Legs, float[])} takes.
     */
    default List<Document> similaritySearchWhileEmbedding(SearchRequest request, Legs legs, Supplier<float[]> pendingVector) {
        return similaritySearch(request, legs, legs == Legs.LEXICAL_ONLY ? null : pendingVector.get());
    }

    default List<Document> similaritySearch(SearchRequest request, Legs legs) {
        return similaritySearch(request, legs, null);
    }

    @Override
    default List<Document> similaritySearch(SearchRequest request) {
        return similaritySearch(request, Legs.HYBRID);
    }

    @Override
    default void add(List<Document> documents) {
        replace(null, prepare(documents, done -> { }));
    }

    /** Embeds {@code documents} in batches of {@code batchSize} (the text both legs index), reporting progress. */
    static PreparedChunks embed(EmbeddingModel model, int batchSize, List<Document> documents, IntConsumer progress) {
        List<PreparedChunk> prepared = new ArrayList<>(documents.size());
        for (int from = 0; from < documents.size(); from += batchSize) {
            List<Document> batch = documents.subList(from, Math.min(documents.size(), from + batchSize));
            List<String> contents = batch.stream().map(d -> d.getFormattedContent(MetadataMode.EMBED)).toList();
            List<float[]> vectors = model.embed(contents);
            for (int i = 0; i < batch.size(); i++) {
                prepared.add(new PreparedChunk(batch.get(i), contents.get(i), unitLength(vectors.get(i))));
            }
            progress.accept(prepared.size());
        }
        return new PreparedChunks(prepared);
    }

    /** Scales a vector to unit length, so that the dot product is the cosine. */
    static float[] unitLength(float[] vector) {
        double sum = 0;
        for (float v : vector) {
            sum += v * v;
        }
        if (sum == 0 || Math.abs(sum - 1) < 1e-6) {
            return vector;
        }
        float scale = (float) (1 / Math.sqrt(sum));
        float[] unit = new float[vector.length];
        for (int i = 0; i < vector.length; i++) {
            unit[i] = vector[i] * scale;
        }
        return unit;
    }
}
