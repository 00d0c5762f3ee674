package dev.genaiplatform.retrieval.catalog;

import org.springframework.jdbc.core.simple.JdbcClient;

import java.util.Optional;

/**
 * The parsed text of each indexed file version, which citation offsets index into. Written in the same critical
 * section that publishes the version's chunks; removed with the store file row (a cascade), so it lives exactly as
 * long as the version is searchable.
 */
public final class SourceTexts {

    private final JdbcClient jdbc;

    public SourceTexts(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public void save(String tenantId, String storeId, String fileId, int version, String text) {
        jdbc.sql("""
                        insert into source_texts (vector_store_id, file_id, tenant_id, version, text) values (?, ?, ?, ?, ?)
                        on conflict (vector_store_id, file_id) do update set version = excluded.version, text = excluded.text""")
                .params(storeId, fileId, tenantId, version, text).update();
    }

    /** The text of that version of the file in the store, if the tenant still has it there. */
    public Optional<String> find(String tenantId, String storeId, String fileId, int version) {
        return jdbc.sql("select text from source_texts where tenant_id = ? and vector_store_id = ? and file_id = ? and version = ?")
                .params(tenantId, storeId, fileId, version).query((rs, n) -> rs.getString(1)).optional();
    }

    /** How many texts the tenant keeps (for tests and the audit: deleted files leave none behind). */
    public int count(String tenantId) {
        return jdbc.sql("select count(*) from source_texts where tenant_id = ?").param(tenantId).query(Integer.class).single();
    }
}
