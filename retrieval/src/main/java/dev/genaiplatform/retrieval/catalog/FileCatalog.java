package dev.genaiplatform.retrieval.catalog;

import org.springframework.jdbc.core.simple.JdbcClient;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Uploaded files, always looked up within one tenant: an id of another tenant's file is simply not found. */
public final class FileCatalog {

    private static final String COLUMNS = "id, tenant_id, filename, purpose, bytes, sha256, access_groups, created_at";

    private final JdbcClient jdbc;

    public FileCatalog(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Inserts the file, or returns the one with the same tenant, bytes, name, purpose and groups. */
    public StoredFile insertOrGet(StoredFile file, byte[] content, String createdBy) {
        String[] groups = file.accessGroups().stream().sorted().distinct().toArray(String[]::new);
        int inserted = jdbc.sql("""
                        insert into files (id, tenant_id, filename, purpose, bytes, sha256, content, access_groups, created_at, created_by)
                        values (?, ?, ?, ?, ?, ?, ?, cast(? as text[]), ?, ?) on conflict do nothing""")
                .params(file.id(), file.tenantId(), file.filename(), file.purpose(), file.bytes(), file.sha256(), content,
                        groups, Timestamp.from(file.createdAt()), createdBy)
                .update();
        if (inserted == 1) {
            return find(file.tenantId(), file.id()).orElseThrow();
        }
        return jdbc.sql("select " + COLUMNS + " from files where tenant_id = ? and sha256 = ? and filename = ? and purpose = ? and access_groups = cast(? as text[])")
                .params(file.tenantId(), file.sha256(), file.filename(), file.purpose(), groups)
                .query(FileCatalog::row).single();
    }

    public Optional<StoredFile> find(String tenantId, String fileId) {
        return jdbc.sql("select " + COLUMNS + " from files where tenant_id = ? and id = ?")
                .params(tenantId, fileId).query(FileCatalog::row).optional();
    }

    public List<StoredFile> list(String tenantId, String purpose) {
        return jdbc.sql("select " + COLUMNS + " from files where tenant_id = ? and (cast(? as text) is null or purpose = ?) order by created_at, id")
                .params(tenantId, purpose, purpose).query(FileCatalog::row).list();
    }

    public byte[] content(String tenantId, String fileId) {
        return jdbc.sql("select content from files where tenant_id = ? and id = ?").params(tenantId, fileId)
                .query((rs, n) -> rs.getBytes(1)).single();
    }

    public boolean delete(String tenantId, String fileId) {
        return jdbc.sql("delete from files where tenant_id = ? and id = ?").params(tenantId, fileId).update() == 1;
    }

    static StoredFile row(ResultSet rs, int rowNum) throws SQLException {
        return new StoredFile(rs.getString("id"), rs.getString("tenant_id"), rs.getString("filename"),
                rs.getString("purpose"), rs.getLong("bytes"), rs.getString("sha256"), strings(rs.getArray("access_groups")),
                rs.getTimestamp("created_at").toInstant());
    }

    static List<String> strings(Array array) throws SQLException {
        return array == null ? List.of() : Arrays.stream((Object[]) array.getArray()).map(String::valueOf).toList();
    }

    static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
