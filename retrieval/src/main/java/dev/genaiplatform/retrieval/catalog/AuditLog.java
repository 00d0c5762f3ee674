package dev.genaiplatform.retrieval.catalog;

import org.springframework.jdbc.core.simple.JdbcClient;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

/** Append-only record of removals: who (key and end user), what, when. */
public final class AuditLog {

    /** One line of the audit log. */
    public record Entry(Instant occurredAt, String tenantId, String actor, String endUser, String action, String target,
                        String detail) {
    }

    private final JdbcClient jdbc;

    public AuditLog(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public void record(Entry entry) {
        jdbc.sql("insert into audit_log (occurred_at, tenant_id, actor, end_user, action, target, detail) values (?, ?, ?, ?, ?, ?, ?)")
                .params(Timestamp.from(entry.occurredAt()), entry.tenantId(), entry.actor(), entry.endUser(), entry.action(),
                        entry.target(), entry.detail())
                .update();
    }

    public List<Entry> forTenant(String tenantId) {
        return jdbc.sql("select occurred_at, tenant_id, actor, end_user, action, target, detail from audit_log where tenant_id = ? order by id")
                .param(tenantId)
                .query((rs, n) -> new Entry(rs.getTimestamp(1).toInstant(), rs.getString(2), rs.getString(3),
                        rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7)))
                .list();
    }
}
