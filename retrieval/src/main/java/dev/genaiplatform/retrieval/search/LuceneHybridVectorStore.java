package dev.genaiplatform.retrieval.search;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.IndexableField;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TotalHits;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.Directory;
import org.apache.lucene.util.QueryBuilder;
import org.springframework.ai.document.Document;
import org.springframework.ai.document.MetadataMode;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.vectorstore.SearchRequest;
import org.springframework.ai.vectorstore.VectorStore;
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

/**
 * A Spring AI {@link VectorStore} on an embedded Lucene index that searches two ways at once and fuses them:
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
 * <p>The index lives in memory ({@link ByteBuffersDirectory}): the corpus is re-ingested at every start, which
 * takes seconds for documentation-sized corpora and keeps the service stateless. An {@code FSDirectory} would
 * make it persistent (reopening 20k chunks takes ~25 ms) at the price of index lifecycle management.
 */
public final class LuceneHybridVectorStore implements VectorStore, Closeable {

    static final String ID = "id";
    /** Heading path + text, analysed for BM25, not stored. */
    static final String CONTENT = "content";
    /** The passage as returned, stored only. */
    static final String TEXT = "text";
    static final String VECTOR = "embedding";
    static final String LEXICAL_RANK = "lexicalRank";
    static final String VECTOR_RANK = "vectorRank";
    private static final String METADATA_PREFIX = "meta.";

    private final EmbeddingModel embeddingModel;
    private final HybridSearchSettings settings;
    private final Analyzer analyzer = new EnglishAnalyzer();
    private final Directory directory = new ByteBuffersDirectory();
    private final IndexWriter writer;
    private final SearcherManager searchers;

    public LuceneHybridVectorStore(EmbeddingModel embeddingModel, HybridSearchSettings settings) {
        this.embeddingModel = embeddingModel;
        this.settings = settings;
        try {
            this.writer = new IndexWriter(directory, new IndexWriterConfig(analyzer));
            this.searchers = new SearcherManager(writer, null);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the in-memory index", e);
        }
    }

    static String metadataField(String key) {
        return METADATA_PREFIX + key;
    }

    @Override
    public void add(List<Document> documents) {
        try {
            for (int from = 0; from < documents.size(); from += settings.embeddingBatchSize()) {
                List<Document> batch = documents.subList(from, Math.min(documents.size(), from + settings.embeddingBatchSize()));
                List<String> contents = batch.stream().map(d -> d.getFormattedContent(MetadataMode.EMBED)).toList();
                List<float[]> vectors = embeddingModel.embed(contents);
                for (int i = 0; i < batch.size(); i++) {
                    Document document = batch.get(i);
                    writer.updateDocument(new Term(ID, document.getId()),
                            toLucene(document, contents.get(i), unitLength(vectors.get(i))));
                }
            }
            searchers.maybeRefreshBlocking();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot index documents", e);
        }
    }

    @Override
    public void delete(List<String> idList) {
        deleteMatching(idList.stream().map(id -> new Term(ID, id)).toArray(Term[]::new));
    }

    @Override
    public void delete(Filter.Expression filterExpression) {
        try {
            writer.deleteDocuments(LuceneFilters.toQuery(filterExpression));
            searchers.maybeRefreshBlocking();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete documents", e);
        }
    }

    private void deleteMatching(Term... terms) {
        try {
            writer.deleteDocuments(terms);
            searchers.maybeRefreshBlocking();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete documents", e);
        }
    }

    @Override
    public List<Document> similaritySearch(SearchRequest request) {
        String query = request.getQuery();
        int topK = request.getTopK();
        if (query == null || query.isBlank() || topK < 1) {
            return List.of();
        }
        Query filter = request.hasFilterExpression() ? LuceneFilters.toQuery(request.getFilterExpression()) : null;
        int candidates = settings.candidates(topK);
        float[] queryVector = unitLength(embeddingModel.embed(query));
        try {
            IndexSearcher searcher = searchers.acquire();
            try {
                TopDocs lexical = lexical(searcher, query, filter, candidates);
                TopDocs semantic = semantic(searcher, queryVector, filter, candidates, request.getSimilarityThreshold());
                TopDocs fused = ReciprocalRankFusion.fuse(topK, settings.rrfK(), lexical, semantic);
                return toDocuments(searcher.storedFields(), fused, ranks(lexical), ranks(semantic));
            } finally {
                searchers.release(searcher);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Search failed", e);
        }
    }

    /** How many chunks the index holds. */
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
                case Integer number -> lucene.add(new StoredField(field, number));
                case Long number -> lucene.add(new StoredField(field, number));
                case Double number -> lucene.add(new StoredField(field, number));
                case Float number -> lucene.add(new StoredField(field, number));
                default -> lucene.add(new StoredField(field, String.valueOf(value)));
            }
        });
        return lucene;
    }

    private static List<Document> toDocuments(StoredFields stored, TopDocs fused, Map<Integer, Integer> lexicalRanks,
                                              Map<Integer, Integer> vectorRanks) throws IOException {
        List<Document> documents = new ArrayList<>(fused.scoreDocs.length);
        for (ScoreDoc hit : fused.scoreDocs) {
            var lucene = stored.document(hit.doc);
            Map<String, Object> metadata = new LinkedHashMap<>();
            for (IndexableField field : lucene.getFields()) {
                if (field.name().startsWith(METADATA_PREFIX)) {
                    Object value = field.numericValue() != null ? field.numericValue() : field.stringValue();
                    metadata.put(field.name().substring(METADATA_PREFIX.length()), value);
                }
            }
            if (lexicalRanks.containsKey(hit.doc)) {
                metadata.put(LEXICAL_RANK, lexicalRanks.get(hit.doc));
            }
            if (vectorRanks.containsKey(hit.doc)) {
                metadata.put(VECTOR_RANK, vectorRanks.get(hit.doc));
            }
            documents.add(Document.builder().id(lucene.get(ID)).text(lucene.get(TEXT)).metadata(metadata)
                    .score((double) hit.score).build());
        }
        return documents;
    }

    private static float[] unitLength(float[] vector) {
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

    @Override
    public void close() throws IOException {
        searchers.close();
        writer.close();
        directory.close();
    }
}
