package dev.genaiplatform.retrieval.search;

import org.springframework.ai.document.Document;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.vectorstore.SearchRequest;
import org.springframework.ai.vectorstore.filter.Filter;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import javax.sql.DataSource;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.IntConsumer;
import java.util.regex.Pattern;

/**
 * The chunk index in PostgreSQL with pgvector: the store to scale out with, since every instance of the service
 * reads and writes the same table (Lucene's index is one writer's folder).
 *
 * <p>One row per chunk: the passage, the text both legs index, the full metadata ({@code jsonb}, types kept), the
 * string metadata as {@code keywords} ({@code jsonb}, every key an array, GIN-indexed: {@link SqlFilters}), the unit
 * vector ({@code vector(n)}, HNSW with cosine distance) and a generated {@code tsvector} (GIN).
 *
 * <p>The legs: kNN over the HNSW index, and PostgreSQL full-text search ranked by {@code ts_rank_cd} (any of the
 * query's stemmed terms, like the Lucene leg's OR query). That is <em>not</em> BM25 (no inverse document frequency,
 * no length saturation), but it keeps a search, a write and a delete inside one database and one transaction, which
 * is the point of this store; the two rankings are fused by reciprocal rank (in SQL) as on Lucene.
 *
 * <p>The access filter is a WHERE clause of both legs. A filtered HNSW scan in pgvector visits only
 * {@code hnsw.ef_search} candidates and would return fewer than k when the filter is selective, so each search sets
 * {@code hnsw.iterative_scan = relaxed_order} (pgvector 0.8) and scans on until enough rows pass; results are re-sorted
 * by distance afterwards. Both legs, the reciprocal rank fusion and the row fetch are one SQL statement, so a search
 * is one round trip and sees one snapshot: a concurrent {@link #replace} (one transaction: delete, then insert) is
 * seen whole or not at all.
 */
public final class PgVectorChunkIndex implements ChunkIndex {

    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** A leg that is not run: an empty ranking of the same shape. */
    private static final String NO_LEXICAL_RANKING = "select null::text as id, null::bigint as rank where false";
    private static final String NO_NEIGHBOURS = "select null::text as id, null::float8 as distance where false";
    private static final TypeReference<LinkedHashMap<String, Object>> METADATA = new TypeReference<>() {
    };

    private final EmbeddingModel embeddingModel;
    private final HybridSearchSettings settings;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate writes;
    private final TransactionTemplate searches;
    private final String table;
    private final int efSearch;

    /**
     * @param table    the chunk table, created with its indexes when missing (and the {@code vector} extension, which
     *                 needs a role allowed to create it, or a database where it already exists)
     * @param efSearch HNSW candidates per scan step ({@code hnsw.ef_search}); raised to the leg's candidate count
     */
    public PgVectorChunkIndex(DataSource dataSource, EmbeddingModel embeddingModel, HybridSearchSettings settings,
                              String table, int efSearch) {
        if (!IDENTIFIER.matcher(table).matches()) {
            throw new IllegalArgumentException("pgvector table must be a plain lower-case SQL name, not '" + table + "'");
        }
        this.embeddingModel = embeddingModel;
        this.settings = settings;
        this.jdbc = new JdbcTemplate(dataSource);
        DataSourceTransactionManager transactions = new DataSourceTransactionManager(dataSource);
        this.writes = new TransactionTemplate(transactions);
        this.searches = new TransactionTemplate(transactions);
        this.table = table;
        this.efSearch = efSearch;
        createSchema(embeddingModel.dimensions());
    }

    private void createSchema(int dimensions) {
        jdbc.execute("create extension if not exists vector");
        jdbc.execute("create table if not exists " + table + " ("
                + "id text primary key, text text not null, content text not null, metadata jsonb not null, "
                + "keywords jsonb not null, embedding vector(" + dimensions + ") not null, "
                + "tsv tsvector generated always as (to_tsvector('english', content)) stored)");
        jdbc.execute("create index if not exists " + table + "_hnsw on " + table + " using hnsw (embedding vector_cosine_ops)");
        jdbc.execute("create index if not exists " + table + "_tsv on " + table + " using gin (tsv)");
        jdbc.execute("create index if not exists " + table + "_keywords on " + table + " using gin (keywords jsonb_path_ops)");
    }

    @Override
    public PreparedChunks prepare(List<Document> documents, IntConsumer progress) {
        return ChunkIndex.embed(embeddingModel, settings.embeddingBatchSize(), documents, progress);
    }

    @Override
    public void replace(Filter.Expression remove, PreparedChunks chunks) {
        writes.executeWithoutResult(status -> {
            if (remove != null) {
                SqlFilters.Condition where = SqlFilters.toCondition(remove, "keywords");
                jdbc.update("delete from " + table + " where " + where.sql(), where.parameters().toArray());
            }
            List<Object[]> rows = chunks.chunks().stream().map(PgVectorChunkIndex::row).toList();
            jdbc.batchUpdate("insert into " + table + " (id, text, content, metadata, keywords, embedding) "
                    + "values (?, ?, ?, cast(? as jsonb), cast(? as jsonb), cast(? as vector)) on conflict (id) do update set "
                    + "text = excluded.text, content = excluded.content, metadata = excluded.metadata, "
                    + "keywords = excluded.keywords, embedding = excluded.embedding", rows);
        });
    }

    @Override
    public void delete(List<String> ids) {
        writes.executeWithoutResult(status -> jdbc.update(connection -> {
            var statement = connection.prepareStatement("delete from " + table + " where id = any(?)");
            statement.setArray(1, connection.createArrayOf("text", ids.toArray()));
            return statement;
        }));
    }

    @Override
    public void delete(Filter.Expression filter) {
        replace(filter, new PreparedChunks(List.of()));
    }

    @Override
    public int count(Filter.Expression filter) {
        SqlFilters.Condition where = SqlFilters.toCondition(filter, "keywords");
        Integer count = jdbc.queryForObject("select count(*) from " + table + " where " + where.sql(), Integer.class,
                where.parameters().toArray());
        return count == null ? 0 : count;
    }

    @Override
    public int size() {
        Integer count = jdbc.queryForObject("select count(*) from " + table, Integer.class);
        return count == null ? 0 : count;
    }

    /** One statement (one snapshot), read in pages of 1,000 rows inside a transaction so the driver streams them. */
    @Override
    public void forEachPassage(String key, BiConsumer<String, String> passage) {
        searches.executeWithoutResult(status -> {
            JdbcTemplate paged = new JdbcTemplate(jdbc.getDataSource());
            paged.setFetchSize(1_000);
            paged.query("select keywords -> ? ->> 0, text from " + table,
                    (RowCallbackHandler) rs -> passage.accept(rs.getString(1), rs.getString(2)), key);
        });
    }

    @Override
    public Optional<Document> find(String id, Filter.Expression filter) {
        SqlFilters.Condition where = SqlFilters.toCondition(filter, "keywords");
        List<Object> parameters = new ArrayList<>();
        parameters.add(id);
        parameters.addAll(where.parameters());
        return jdbc.query("select id, text, metadata, cast(embedding as real[]) as vector from " + table
                + " where id = ? and " + where.sql(), (rs, n) -> document(rs, 0), parameters.toArray()).stream().findFirst();
    }

    @Override
    public List<Document> similaritySearch(SearchRequest request, Legs legs, float[] vector) {
        String query = request.getQuery();
        int topK = request.getTopK();
        if (query == null || query.isBlank() || topK < 1) {
            return List.of();
        }
        SqlFilters.Condition where = request.hasFilterExpression()
                ? SqlFilters.toCondition(request.getFilterExpression(), "keywords")
                : new SqlFilters.Condition("true", List.of());
        int candidates = settings.candidates(topK);
        List<Object> parameters = new ArrayList<>();
        String lexical = NO_LEXICAL_RANKING;
        if (legs != Legs.VECTOR_ONLY) {
            // the query's stemmed lexemes OR-ed (no query syntax: user text can never be a syntax error)
            lexical = "select id, row_number() over (order by ts_rank_cd(tsv, q.terms) desc, id) as rank from " + table
                    + ", (select to_tsquery('simple', coalesce(string_agg('''' || replace(lexeme, '''', '''''') || '''', ' | '), ''))"
                    + " as terms from unnest(tsvector_to_array(to_tsvector('english', ?))) as lexeme where position(chr(92) in lexeme) = 0) q"
                    + " where tsv @@ q.terms and " + where.sql() + " order by rank limit ?";
            parameters.add(query);
            parameters.addAll(where.parameters());
            parameters.add(candidates);
        }
        String nearest = NO_NEIGHBOURS;
        if (legs != Legs.LEXICAL_ONLY) {
            nearest = "select id, embedding <=> cast(? as vector) as distance from " + table + " where " + where.sql()
                    + " order by distance limit ?";
            parameters.add(vectorLiteral(vector != null ? vector : ChunkIndex.unitLength(embeddingModel.embed(query))));
            parameters.addAll(where.parameters());
            parameters.add(candidates);
        }
        // Lucene's DOT_PRODUCT score on unit vectors is (1 + cosine) / 2 = 1 - distance / 2: the same threshold scale
        parameters.add(request.getSimilarityThreshold());
        parameters.add(settings.rrfK());
        parameters.add(settings.rrfK());
        parameters.add(topK);
        // both legs, the fusion and the rows in one statement: one round trip, one snapshot (never half of a replace)
        String sql = "with lexical as (" + lexical + "), nearest as materialized (" + nearest + "),"
                + " semantic as (select id, row_number() over (order by distance, id) as rank from nearest where 1 - distance / 2 >= ?),"
                + " fused as (select coalesce(l.id, s.id) as id, l.rank as lexical_rank, s.rank as vector_rank,"
                + " coalesce(1.0 / (? + l.rank), 0) + coalesce(1.0 / (? + s.rank), 0) as score"
                + " from lexical l full outer join semantic s on l.id = s.id order by score desc, id limit ?)"
                + " select f.id, f.lexical_rank, f.vector_rank, f.score, c.text, c.metadata, cast(c.embedding as real[]) as vector"
                + " from fused f join " + table + " c on c.id = f.id order by f.score desc, f.id";
        if (legs == Legs.LEXICAL_ONLY) {
            return jdbc.query(sql, PgVectorChunkIndex::fusedRow, parameters.toArray());
        }
        return searches.execute(status -> {
            // local to this transaction: a filtered HNSW scan goes on until enough rows pass (pgvector 0.8), and the
            // statement is planned with its values: a generic plan (pgjdbc prepares a statement after 5 runs) cannot
            // see the LIMIT or the filter's selectivity and falls back to an exact scan and sort of every row in scope
            jdbc.query("select set_config('hnsw.ef_search', ?, true), set_config('hnsw.iterative_scan', 'relaxed_order', true),"
                            + " set_config('plan_cache_mode', 'force_custom_plan', true)",
                    (RowCallbackHandler) rs -> { }, String.valueOf(Math.min(1000, Math.max(efSearch, candidates))));
            return jdbc.query(sql, PgVectorChunkIndex::fusedRow, parameters.toArray());
        });
    }

    private static Document fusedRow(ResultSet rs, int rowNum) throws SQLException {
        Document row = document(rs, rs.getDouble("score"));
        Map<String, Object> metadata = new LinkedHashMap<>(row.getMetadata());
        long lexicalRank = rs.getLong("lexical_rank");
        if (!rs.wasNull()) {
            metadata.put(LEXICAL_RANK, (int) lexicalRank);
        }
        long vectorRank = rs.getLong("vector_rank");
        if (!rs.wasNull()) {
            metadata.put(VECTOR_RANK, (int) vectorRank);
        }
        return Document.builder().id(row.getId()).text(row.getText()).metadata(metadata).score(row.getScore()).build();
    }

    private static Document document(ResultSet rs, double score) throws SQLException {
        Map<String, Object> metadata = JSON.readValue(rs.getString("metadata"), METADATA);
        float[] vector = floats(rs.getArray("vector"));
        if (vector != null) {
            metadata.put(EMBEDDING, vector);
        }
        return Document.builder().id(rs.getString("id")).text(rs.getString("text")).metadata(metadata).score(score).build();
    }

    private static float[] floats(Array array) throws SQLException {
        if (array == null) {
            return null;
        }
        Object[] values = (Object[]) array.getArray();
        float[] floats = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            floats[i] = ((Number) values[i]).floatValue();
        }
        return floats;
    }

    private static Object[] row(PreparedChunk chunk) {
        Document document = chunk.document();
        Map<String, List<String>> keywords = new LinkedHashMap<>();
        document.getMetadata().forEach((key, value) -> {
            switch (value) {
                case String text -> keywords.put(key, List.of(text));
                case List<?> values -> keywords.put(key, values.stream().map(String::valueOf).toList());
                default -> { } // numbers and the rest are returned, not filtered on (as on Lucene)
            }
        });
        return new Object[] {document.getId(), document.getText() == null ? "" : document.getText(), chunk.content(),
                JSON.writeValueAsString(document.getMetadata()), JSON.writeValueAsString(keywords), vectorLiteral(chunk.vector())};
    }

    private static String vectorLiteral(float[] vector) {
        StringBuilder literal = new StringBuilder(vector.length * 12).append('[');
        for (int i = 0; i < vector.length; i++) {
            if (i > 0) {
                literal.append(',');
            }
            literal.append(vector[i]);
        }
        return literal.append(']').toString();
    }
}
