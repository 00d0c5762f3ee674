package dev.genaiplatform.retrieval.catalog;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Vector stores, their files and batches; every lookup is scoped to a tenant.
 *
 * <p>A tenant's store rows are also kept for searches ({@link #listForSearch}): every search over Kafka needs them for
 * its scope and defaults, and they change only when a store is created or deleted. This catalogue forgets a tenant's
 * rows whenever it creates or deletes one of its stores, so on one instance a search never sees a stale list; another
 * instance sharing the database (pgvector scale-out) sees a new or deleted store at most {@code storeListTtl} late.
 */
public final class VectorStoreCatalog {

    /** Counts of a store's or batch's files by status. */
    public record FileCounts(int inProgress, int completed, int failed, int cancelled) {
        public int total() {
            return inProgress + completed + failed + cancelled;
        }
    }

    private static final TypeReference<Map<String, Object>> JSON_OBJECT = new TypeReference<>() {
    };
    private static final String FILE_COLUMNS = """
            vector_store_id, file_id, tenant_id, document_key, version, status, stage, chunks_done, chunks_total,
            usage_bytes, error_code, error_message, attributes, chunking, batch_id, created_at, indexed_at""";

    /** Tenants whose store rows are kept at most; ~1 KB per tenant with a few stores. */
    private static final int MAX_TENANTS_KEPT = 10_000;

    private final JdbcClient jdbc;
    private final JsonMapper json;
    /** Null when {@code storeListTtl} is zero: every search reads the database. */
    private final Cache<String, List<VectorStoreRow>> searchRows;

    public VectorStoreCatalog(JdbcClient jdbc, JsonMapper json) {
        this(jdbc, json, Duration.ZERO);
    }

    /** @param storeListTtl how long a tenant's store rows serve searches; zero reads them on every search */
    public VectorStoreCatalog(JdbcClient jdbc, JsonMapper json, Duration storeListTtl) {
        this.jdbc = jdbc;
        this.json = json;
        this.searchRows = storeListTtl.isZero() ? null
                : Caffeine.newBuilder().maximumSize(MAX_TENANTS_KEPT).expireAfterWrite(storeListTtl).build();
    }

    // --- stores ---

    public VectorStoreRow insert(VectorStoreRow store) {
        jdbc.sql("insert into vector_stores (id, tenant_id, name, chunking, metadata, created_at, last_active_at) values (?, ?, ?, ?, ?, ?, ?)")
                .params(store.id(), store.tenantId(), store.name(), json.writeValueAsString(store.chunking()),
                        json.writeValueAsString(store.metadata()), Timestamp.from(store.createdAt()), Timestamp.from(store.lastActiveAt()))
                .update();
        forget(store.tenantId());
        return store;
    }

    public Optional<VectorStoreRow> find(String tenantId, String storeId) {
        return jdbc.sql("select * from vector_stores where tenant_id = ? and id = ?").params(tenantId, storeId)
                .query(this::store).optional();
    }

    public List<VectorStoreRow> list(String tenantId) {
        return jdbc.sql("select * from vector_stores where tenant_id = ? order by created_at, id").param(tenantId)
                .query(this::store).list();
    }

    /**
     * The tenant's stores as {@link #list} returns them, for searches: possibly kept from an earlier call (see the
     * class comment), so {@code lastActiveAt} may be behind; scope and defaults (id, metadata) never are on this instance.
     */
    public List<VectorStoreRow> listForSearch(String tenantId) {
        return searchRows == null ? list(tenantId) : searchRows.get(tenantId, this::list);
    }

    private void forget(String tenantId) {
        if (searchRows != null) {
            searchRows.invalidate(tenantId); // waits for a load of the same tenant in flight, then drops it
        }
    }

    public void touch(String storeId, Instant at) {
        jdbc.sql("update vector_stores set last_active_at = ? where id = ?").params(Timestamp.from(at), storeId).update();
    }

    public boolean delete(String tenantId, String storeId) {
        boolean deleted = jdbc.sql("delete from vector_stores where tenant_id = ? and id = ?").params(tenantId, storeId).update() == 1;
        forget(tenantId);
        return deleted;
    }

    public FileCounts counts(String storeId, String batchId) {
        return jdbc.sql("""
                        select count(*) filter (where status = 'in_progress'), count(*) filter (where status = 'completed'),
                               count(*) filter (where status = 'failed'), count(*) filter (where status = 'cancelled')
                        from vector_store_files f where vector_store_id = ? and (cast(? as text) is null
                          or exists (select 1 from file_batch_files b where b.batch_id = ? and b.file_id = f.file_id))""")
                .params(storeId, batchId, batchId)
                .query((rs, n) -> new FileCounts(rs.getInt(1), rs.getInt(2), rs.getInt(3), rs.getInt(4))).single();
    }

    public long usageBytes(String storeId) {
        return jdbc.sql("select coalesce(sum(usage_bytes), 0) from vector_store_files where vector_store_id = ?")
                .param(storeId).query(Long.class).single();
    }

    // --- files in stores ---

    /** Next version of a document in a store: 1 for a new file name. */
    public int nextVersion(String storeId, String documentKey) {
        return jdbc.sql("select coalesce(max(version), 0) + 1 from vector_store_files where vector_store_id = ? and document_key = ?")
                .params(storeId, documentKey).query(Integer.class).single();
    }

    /** Adds the file to the store unless it is there already; returns whether it was added. */
    public boolean insertFile(VectorStoreFileRow row) {
        return jdbc.sql("insert into vector_store_files (vector_store_id, file_id, tenant_id, document_key, version, status, "
                        + "attributes, chunking, batch_id, created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict do nothing")
                .params(row.vectorStoreId(), row.fileId(), row.tenantId(), row.documentKey(), row.version(), row.status(),
                        json.writeValueAsString(row.attributes()), json.writeValueAsString(row.chunking()), row.batchId(),
                        Timestamp.from(row.createdAt()))
                .update() == 1;
    }

    public Optional<VectorStoreFileRow> findFile(String tenantId, String storeId, String fileId) {
        return jdbc.sql("select " + FILE_COLUMNS + " from vector_store_files where tenant_id = ? and vector_store_id = ? and file_id = ?")
                .params(tenantId, storeId, fileId).query(this::file).optional();
    }

    public List<VectorStoreFileRow> listFiles(String tenantId, String storeId, String status, String batchId) {
        return jdbc.sql("select " + FILE_COLUMNS + " from vector_store_files where tenant_id = ? and vector_store_id = ? "
                        + "and (cast(? as text) is null or status = ?) and (cast(? as text) is null or exists "
                        + "(select 1 from file_batch_files b where b.batch_id = ? and b.file_id = vector_store_files.file_id)) order by created_at, file_id")
                .params(tenantId, storeId, status, status, batchId, batchId).query(this::file).list();
    }

    /** Every store row of a file, in any store of the tenant. */
    public List<VectorStoreFileRow> rowsOfFile(String tenantId, String fileId) {
        return jdbc.sql("select " + FILE_COLUMNS + " from vector_store_files where tenant_id = ? and file_id = ?")
                .params(tenantId, fileId).query(this::file).list();
    }

    /** Rows that need (re)ingestion after a restart: still in progress, or completed but missing from the index. */
    public List<VectorStoreFileRow> withStatus(String status) {
        return jdbc.sql("select " + FILE_COLUMNS + " from vector_store_files where status = ? order by created_at")
                .param(status).query(this::file).list();
    }

    /** Any tenant: the ingestion worker reads the row its work item names. */
    public Optional<VectorStoreFileRow> findFileForIngestion(String storeId, String fileId) {
        return jdbc.sql("select " + FILE_COLUMNS + " from vector_store_files where vector_store_id = ? and file_id = ?")
                .params(storeId, fileId).query(this::file).optional();
    }

    public void progress(String storeId, String fileId, String stage, int chunksDone, int chunksTotal) {
        jdbc.sql("update vector_store_files set stage = ?, chunks_done = ?, chunks_total = ? where vector_store_id = ? and file_id = ? and status = 'in_progress'")
                .params(stage, chunksDone, chunksTotal, storeId, fileId).update();
    }

    public void completed(String storeId, String fileId, int chunks, long usageBytes, Instant indexedAt) {
        jdbc.sql("update vector_store_files set status = 'completed', stage = 'INDEXED', chunks_done = ?, chunks_total = ?, "
                        + "usage_bytes = ?, indexed_at = ?, error_code = null, error_message = null where vector_store_id = ? and file_id = ?")
                .params(chunks, chunks, usageBytes, Timestamp.from(indexedAt), storeId, fileId).update();
    }

    public void failed(String storeId, String fileId, String code, String message) {
        jdbc.sql("update vector_store_files set status = 'failed', stage = 'FAILED', error_code = ?, error_message = ? where vector_store_id = ? and file_id = ?")
                .params(code, message, storeId, fileId).update();
    }

    public void restart(String storeId, String fileId) {
        jdbc.sql("update vector_store_files set status = 'in_progress', stage = null, chunks_done = 0 where vector_store_id = ? and file_id = ?")
                .params(storeId, fileId).update();
    }

    /** Older versions of the same document in the store, which the given version replaces. */
    public List<VectorStoreFileRow> olderVersions(String storeId, String documentKey, int version) {
        return jdbc.sql("select " + FILE_COLUMNS + " from vector_store_files where vector_store_id = ? and document_key = ? and version < ?")
                .params(storeId, documentKey, version).query(this::file).list();
    }

    /** Whether a newer version of the document is already indexed (then this one is obsolete before it starts). */
    public boolean newerVersionIndexed(String storeId, String documentKey, int version) {
        return jdbc.sql("select count(*) from vector_store_files where vector_store_id = ? and document_key = ? and version > ? and status = 'completed'")
                .params(storeId, documentKey, version).query(Integer.class).single() > 0;
    }

    public boolean deleteFile(String storeId, String fileId) {
        return jdbc.sql("delete from vector_store_files where vector_store_id = ? and file_id = ?").params(storeId, fileId).update() == 1;
    }

    // --- batches ---

    public void insertBatch(String batchId, String storeId, String tenantId, Instant createdAt) {
        jdbc.sql("insert into file_batches (id, vector_store_id, tenant_id, created_at) values (?, ?, ?, ?)")
                .params(batchId, storeId, tenantId, Timestamp.from(createdAt)).update();
    }

    public void addToBatch(String batchId, String fileId) {
        jdbc.sql("insert into file_batch_files (batch_id, file_id) values (?, ?) on conflict do nothing").params(batchId, fileId).update();
    }

    public Optional<Instant> batchCreatedAt(String tenantId, String storeId, String batchId) {
        return jdbc.sql("select created_at from file_batches where tenant_id = ? and vector_store_id = ? and id = ?")
                .params(tenantId, storeId, batchId).query((rs, n) -> rs.getTimestamp(1).toInstant()).optional();
    }

    private VectorStoreRow store(ResultSet rs, int rowNum) throws SQLException {
        return new VectorStoreRow(rs.getString("id"), rs.getString("tenant_id"), rs.getString("name"),
                object(rs.getString("chunking")), object(rs.getString("metadata")),
                rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("last_active_at").toInstant());
    }

    private VectorStoreFileRow file(ResultSet rs, int rowNum) throws SQLException {
        return new VectorStoreFileRow(rs.getString("vector_store_id"), rs.getString("file_id"), rs.getString("tenant_id"),
                rs.getString("document_key"), rs.getInt("version"), rs.getString("status"), rs.getString("stage"),
                rs.getInt("chunks_done"), rs.getInt("chunks_total"), rs.getLong("usage_bytes"), rs.getString("error_code"),
                rs.getString("error_message"), object(rs.getString("attributes")), object(rs.getString("chunking")),
                rs.getString("batch_id"), rs.getTimestamp("created_at").toInstant(), FileCatalog.instant(rs.getTimestamp("indexed_at")));
    }

    private Map<String, Object> object(String text) {
        return text == null ? Map.of() : json.readValue(text, JSON_OBJECT);
    }
}
