package dev.genaiplatform.retrieval.search;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.IndexableField;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.MergePolicy;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.TieredMergePolicy;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TotalHits;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.Directory;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.QueryBuilder;
import org.springframework.ai.document.Document;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.vectorstore.SearchRequest;
import org.springframework.ai.vectorstore.filter.Filter;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

/**
 * A {@link ChunkIndex} (a Spring AI {@code VectorStore}) on an embedded Lucene index that searches two ways at once and fuses them:
 * BM25 over the analysed text (exact terms, names, error codes) and k-nearest-neighbour over MiniLM vectors
 * (paraphrases that share no word with the passage), combined with {@link ReciprocalRankFusion}.
 *
 * <p>Each leg over-fetches ({@link HybridSearchSettings#candidates(int)}): HNSW is approximate, and asking it
 * for exactly 10 finds only about two thirds of the true 10 nearest; asking for 50 finds over 90%.
 *
 * <p>Semantics a Spring AI user should know:
 * <ul>
 *   <li>{@link Document#getScore()} of a result is the fused RRF score: higher is better, comparable only
 *       within one result list, not a similarity. Metadata {@code lexicalRank} / {@code vectorRank} say where
 *       each leg ranked the document (absent when that leg missed it).</li>
 *   <li>{@link SearchRequest#getSimilarityThreshold()} applies to the vector leg only, on Lucene's normalised
 *       score {@code (1 + cosine) / 2}; 0 (the default) accepts all. BM25 hits are never cut by it.</li>
 *   <li>{@code add} is an upsert by document id; {@code delete} removes by id or by filter expression
 *       ({@link LuceneFilters}): {@code delete("documentPath == 'old.md'")} forgets a whole document.</li>
 * </ul>
 *
 * <p>The index lives on disk in the service ({@code FSDirectory}, reopening 20k chunks takes ~25 ms) or in memory
 * ({@link ByteBuffersDirectory}) for tests. Writes are committed one file at a time: Lucene's commit is atomic,
 * so after a crash the index holds whole files only.
 */
public final class LuceneHybridVectorStore implements ChunkIndex, Closeable {

    static final String ID = "id";
    /** Heading path + text, analysed for BM25, not stored. */
    static final String CONTENT = "content";
    /** The passage as returned, stored only. */
    static final String TEXT = "text";
    static final String VECTOR = "embedding";
    /** Metadata key of a result's unit vector (float[]), for re-rankers: {@link ChunkIndex#EMBEDDING}. */
    public static final String EMBEDDING = ChunkIndex.EMBEDDING;
    private static final String METADATA_PREFIX = "meta.";

    private final EmbeddingModel embeddingModel;
    private final HybridSearchSettings settings;
    private final Analyzer analyzer = new EnglishAnalyzer();
    private final Directory directory;
    /** Writes and the refresh that publishes them happen under this lock, so a reader sees all of a write or none. */
    private final ReentrantLock writeLock = new ReentrantLock();
    private final IndexWriter writer;
    private final SearcherManager searchers;

    /** An index in memory, gone when the store is closed: for tests and benchmarks. */
    public LuceneHybridVectorStore(EmbeddingModel embeddingModel, HybridSearchSettings settings) {
        this(embeddingModel, settings, new ByteBuffersDirectory());
    }

    /**
     * An index in {@code directory}; with an {@link org.apache.lucene.store.FSDirectory} it survives restarts.
     * Every write is committed before it returns, so what a search could see is also what a crash keeps.
     */
    public LuceneHybridVectorStore(EmbeddingModel embeddingModel, HybridSearchSettings settings, Directory directory) {
        this(embeddingModel, settings, directory, mergePolicy());
    }

    /** With another merge policy than {@link #mergePolicy()}: for benchmarks that compare them. */
    public LuceneHybridVectorStore(EmbeddingModel embeddingModel, HybridSearchSettings settings, Directory directory,
                                   MergePolicy mergePolicy) {
        this.embeddingModel = embeddingModel;
        this.settings = settings;
        this.directory = directory;
        try {
            this.writer = new IndexWriter(directory, new IndexWriterConfig(analyzer)
                    .setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND).setMergePolicy(mergePolicy));
            this.searchers = new SearcherManager(writer, null);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot open the index in " + directory, e);
        }
    }

    /**
     * Fewer, larger segments than Lucene's default (8 per tier above a 16 MB floor: about 9 segments for the ~250 MB
     * of a 100k-chunk index). A search runs the kNN leg once per segment, each HNSW walk costing nearly as much as one
     * over the whole index would. Measured at 100k chunks under load (README, Speed, Wave 5): 6 segments cost 4.6 ms
     * of CPU per filtered kNN search, 1 segment 1.65 ms. Here segments under 64 MB count as 64 MB and a tier holds 4,
     * so a 100k-chunk index keeps about 4; the price is more merging at ingestion (a merge grows the largest segment's
     * graph rather than rebuilding it).
     */
    public static TieredMergePolicy mergePolicy() {
        return new TieredMergePolicy().setSegmentsPerTier(4).setFloorSegmentMB(64);
    }

    static String metadataField(String key) {
        return METADATA_PREFIX + key;
    }

    @Override
    public PreparedChunks prepare(List<Document> documents, IntConsumer progress) {
        return ChunkIndex.embed(embeddingModel, settings.embeddingBatchSize(), documents, progress);
    }

    /**
     * Removes every chunk matching {@code remove} (may be null) and adds {@code chunks}, as one commit followed by
     * one refresh: a concurrent search sees the old chunks or the new ones, never both and never neither, and a
     * crash keeps the last commit, never half of one.
     */
    @Override
    public void replace(Filter.Expression remove, PreparedChunks chunks) {
        write(chunks, remove == null ? null : LuceneFilters.toQuery(remove));
    }

    private void write(PreparedChunks chunks, Query remove) {
        writeLock.lock();
        try {
            if (remove != null) {
                writer.deleteDocuments(remove);
            }
            for (PreparedChunk chunk : chunks.chunks()) {
                writer.updateDocument(new Term(ID, chunk.document().getId()), toLucene(chunk.document(), chunk.content(), chunk.vector()));
            }
            writer.commit();
            searchers.maybeRefreshBlocking();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot index documents", e);
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public void delete(List<String> idList) {
        BooleanQuery.Builder ids = new BooleanQuery.Builder();
        idList.forEach(id -> ids.add(new TermQuery(new Term(ID, id)), Occur.SHOULD));
        write(new PreparedChunks(List.of()), ids.build());
    }

    @Override
    public void delete(Filter.Expression filterExpression) {
        write(new PreparedChunks(List.of()), LuceneFilters.toQuery(filterExpression));
    }

    @Override
    public int count(Filter.Expression filterExpression) {
        try {
            IndexSearcher searcher = searchers.acquire();
            try {
                return searcher.count(LuceneFilters.toQuery(filterExpression));
            } finally {
                searchers.release(searcher);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stored fields of the live documents of one point-in-time reader: later writes are not seen, none half-seen. */
    @Override
    public void forEachPassage(String key, BiConsumer<String, String> passage) {
        String field = metadataField(key);
        Set<String> wanted = Set.of(TEXT, field);
        try {
            IndexSearcher searcher = searchers.acquire();
            try {
                for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
                    Bits live = leaf.reader().getLiveDocs();
                    StoredFields stored = leaf.reader().storedFields();
                    for (int doc = 0; doc < leaf.reader().maxDoc(); doc++) {
                        if (live == null || live.get(doc)) {
                            org.apache.lucene.document.Document fields = stored.document(doc, wanted);
                            passage.accept(fields.get(field), fields.get(TEXT));
                        }
                    }
                }
            } finally {
                searchers.release(searcher);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Reading the index failed", e);
        }
    }

    /**
     * The chunk with this id, only if it also matches {@code filter} (a caller's access filter): a chunk the caller
     * may not read is as absent as one that does not exist.
     */
    @Override
    public Optional<Document> find(String id, Filter.Expression filter) {
        Query query = new BooleanQuery.Builder().add(new TermQuery(new Term(ID, id)), Occur.MUST)
                .add(LuceneFilters.toQuery(filter), Occur.FILTER).build();
        try {
            IndexSearcher searcher = searchers.acquire();
            try {
                TopDocs found = searcher.search(query, 1);
                return toDocuments(searcher, found, Map.of(), Map.of()).stream().findFirst();
            } finally {
                searchers.release(searcher);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Lookup failed", e);
        }
    }

    @Override
    public List<Document> similaritySearch(SearchRequest request, Legs legs, float[] vector) {
        return similaritySearchWhileEmbedding(request, legs,
                vector != null ? () -> vector : () -> ChunkIndex.unitLength(embeddingModel.embed(request.getQuery())));
    }

    /** The BM25 leg runs before {@code pendingVector} is asked for, so an embedding computed elsewhere overlaps it. */
    @Override
    public List<Document> similaritySearchWhileEmbedding(SearchRequest request, Legs legs, Supplier<float[]> pendingVector) {
        String query = request.getQuery();
        int topK = request.getTopK();
        if (query == null || query.isBlank() || topK < 1) {
            return List.of();
        }
        Query filter = request.hasFilterExpression() ? LuceneFilters.toQuery(request.getFilterExpression()) : null;
        int candidates = settings.candidates(topK);
        try {
            IndexSearcher searcher = searchers.acquire();
            try {
                TopDocs lexical = legs == Legs.VECTOR_ONLY ? empty() : lexical(searcher, query, filter, candidates);
                TopDocs semantic = legs == Legs.LEXICAL_ONLY ? empty()
                        : semantic(searcher, pendingVector.get(), filter, candidates, request.getSimilarityThreshold());
                TopDocs fused = ReciprocalRankFusion.fuse(topK, settings.rrfK(), lexical, semantic);
                return toDocuments(searcher, fused, ranks(lexical), ranks(semantic));
            } finally {
                searchers.release(searcher);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Search failed", e);
        }
    }

    @Override
    public int size() {
        try {
            IndexSearcher searcher = searchers.acquire();
            try {
                return searcher.getIndexReader().numDocs();
            } finally {
                searchers.release(searcher);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private TopDocs lexical(IndexSearcher searcher, String query, Query filter, int candidates) throws IOException {
        try {
            // Analysed terms OR-ed together: no query syntax, so user text can never be a syntax error.
            Query terms = new QueryBuilder(analyzer).createBooleanQuery(CONTENT, query, Occur.SHOULD);
            if (terms == null) {
                return empty(); // only stop words
            }
            return searcher.search(filter == null ? terms
                    : new BooleanQuery.Builder().add(terms, Occur.MUST).add(filter, Occur.FILTER).build(), candidates);
        } catch (IndexSearcher.TooManyClauses e) {
            return empty(); // over a thousand terms: the vector leg answers alone
        }
    }

    private TopDocs semantic(IndexSearcher searcher, float[] vector, Query filter, int candidates,
                             double threshold) throws IOException {
        TopDocs nearest = searcher.search(new KnnFloatVectorQuery(VECTOR, vector, candidates, filter), candidates);
        ScoreDoc[] kept = Arrays.stream(nearest.scoreDocs).filter(hit -> hit.score >= threshold).toArray(ScoreDoc[]::new);
        return new TopDocs(new TotalHits(kept.length, TotalHits.Relation.EQUAL_TO), kept);
    }

    private static TopDocs empty() {
        return new TopDocs(new TotalHits(0, TotalHits.Relation.EQUAL_TO), new ScoreDoc[0]);
    }

    private static Map<Integer, Integer> ranks(TopDocs ranking) {
        Map<Integer, Integer> ranks = new HashMap<>();
        for (int i = 0; i < ranking.scoreDocs.length; i++) {
            ranks.putIfAbsent(ranking.scoreDocs[i].doc, i + 1);
        }
        return ranks;
    }

    private static org.apache.lucene.document.Document toLucene(Document document, String content, float[] vector) {
        var lucene = new org.apache.lucene.document.Document();
        lucene.add(new StringField(ID, document.getId(), Field.Store.YES));
        lucene.add(new TextField(CONTENT, content, Field.Store.NO));
        lucene.add(new StoredField(TEXT, document.getText() == null ? "" : document.getText()));
        // unit vectors make the dot product the cosine, and DOT_PRODUCT is the cheaper comparison
        lucene.add(new KnnFloatVectorField(VECTOR, vector, VectorSimilarityFunction.DOT_PRODUCT));
        document.getMetadata().forEach((key, value) -> {
            String field = metadataField(key);
            switch (value) {
                case String text -> lucene.add(new StringField(field, text, Field.Store.YES)); // filterable
                case List<?> values -> values.forEach(v -> lucene.add(new StringField(field, String.valueOf(v), Field.Store.YES)));
                case Integer number -> lucene.add(new StoredField(field, number));
                case Long number -> lucene.add(new StoredField(field, number));
                case Double number -> lucene.add(new StoredField(field, number));
                case Float number -> lucene.add(new StoredField(field, number));
                default -> lucene.add(new StoredField(field, String.valueOf(value)));
            }
        });
        return lucene;
    }

    private static List<Document> toDocuments(IndexSearcher searcher, TopDocs fused, Map<Integer, Integer> lexicalRanks,
                                              Map<Integer, Integer> vectorRanks) throws IOException {
        StoredFields stored = searcher.storedFields();
        List<Document> documents = new ArrayList<>(fused.scoreDocs.length);
        for (ScoreDoc hit : fused.scoreDocs) {
            var lucene = stored.document(hit.doc);
            Map<String, Object> metadata = new LinkedHashMap<>();
            for (IndexableField field : lucene.getFields()) {
                if (field.name().startsWith(METADATA_PREFIX)) {
                    Object value = field.numericValue() != null ? field.numericValue() : field.stringValue();
                    metadata.merge(field.name().substring(METADATA_PREFIX.length()), value, LuceneHybridVectorStore::asList);
                }
            }
            if (lexicalRanks.containsKey(hit.doc)) {
                metadata.put(LEXICAL_RANK, lexicalRanks.get(hit.doc));
            }
            if (vectorRanks.containsKey(hit.doc)) {
                metadata.put(VECTOR_RANK, vectorRanks.get(hit.doc));
            }
            float[] vector = vectorOf(searcher, hit.doc);
            if (vector != null) {
                metadata.put(EMBEDDING, vector);
            }
            documents.add(Document.builder().id(lucene.get(ID)).text(lucene.get(TEXT)).metadata(metadata)
                    .score((double) hit.score).build());
        }
        return documents;
    }

    /** The stored unit vector of a hit, for second-stage rankers (MMR needs chunk-to-chunk similarity). */
    private static float[] vectorOf(IndexSearcher searcher, int doc) throws IOException {
        List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
        LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(doc, leaves));
        FloatVectorValues values = leaf.reader().getFloatVectorValues(VECTOR);
        if (values == null) {
            return null;
        }
        KnnVectorValues.DocIndexIterator iterator = values.iterator();
        if (iterator.advance(doc - leaf.docBase) != doc - leaf.docBase) {
            return null;
        }
        return values.vectorValue(iterator.index()).clone();
    }

    /** A second value of a multi-valued field (access groups) turns the metadata entry into a list. */
    private static Object asList(Object existing, Object added) {
        List<Object> values = new ArrayList<>();
        if (existing instanceof List<?> list) {
            values.addAll(list);
        } else {
            values.add(existing);
        }
        values.add(added);
        return values;
    }

    @Override
    public void close() throws IOException {
        searchers.close();
        writer.close();
        directory.close();
    }
}
