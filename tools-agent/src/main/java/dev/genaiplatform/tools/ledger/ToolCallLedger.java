package dev.genaiplatform.tools.ledger;

import dev.genaiplatform.contracts.tools.ToolInvokedReply;
import dev.genaiplatform.tools.ledger.LedgerEntry.State;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The tool-call ledger in PostgreSQL. Exactly-once rests on two things here: the unique (tenant, idempotency key)
 * constraint, so concurrent deliveries of one key share one row; and {@link #lock}, a row lock the execution
 * holds while the tool runs, inside the same transaction that writes the tool's side effect and the outcome. So
 * either both commit, or neither does and the row is still runnable.
 *
 * <p>Every method runs in the caller's transaction when there is one (JdbcTemplate joins it).
 */
public final class ToolCallLedger {

    private static final String COLUMNS = "call_id, tenant, idempotency_key, tool_name, arguments_json, request_id, "
            + "run_id, step_id, key_id, end_user, requested_rid, provenance_json, state, status, result_json, error, "
            + "took_millis, deliveries, executions, approval_id, approval_expires_at, decision, decision_reason, "
            + "decided_by, decided_at, created_at, updated_at";

    private final JdbcTemplate jdbc;

    public ToolCallLedger(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** What a new delivery brings. */
    public record NewCall(String tenant, String idempotencyKey, String toolName, String argumentsJson,
                          String requestId, String runId, String stepId, String keyId, String endUser,
                          String requestedRid, String provenanceJson) {
    }

    /**
     * Records a delivery: the first one of a key inserts the row, later ones count themselves and read it. Never
     * waits for a running attempt (the count is a separate statement that skips a locked row).
     */
    public LedgerEntry receive(NewCall call) {
        int inserted = jdbc.update("insert into tool_call (call_id, tenant, idempotency_key, tool_name, arguments_json, "
                        + "request_id, run_id, step_id, key_id, end_user, requested_rid, provenance_json, state) "
                        + "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'RECEIVED') "
                        + "on conflict (tenant, idempotency_key) do nothing",
                UUID.randomUUID(), call.tenant(), call.idempotencyKey(), call.toolName(), call.argumentsJson(),
                call.requestId(), call.runId(), call.stepId(), call.keyId(), call.endUser(), call.requestedRid(),
                call.provenanceJson());
        if (inserted == 0) {
            jdbc.update("update tool_call set deliveries = deliveries + 1 where call_id = "
                    + "(select call_id from tool_call where tenant = ? and idempotency_key = ? for update skip locked)",
                    call.tenant(), call.idempotencyKey());
        }
        return find(call.tenant(), call.idempotencyKey()).orElseThrow();
    }

    public Optional<LedgerEntry> find(String tenant, String idempotencyKey) {
        return one("select " + COLUMNS + " from tool_call where tenant = ? and idempotency_key = ?", tenant, idempotencyKey);
    }

    public Optional<LedgerEntry> findByApproval(String tenant, UUID approvalId) {
        return one("select " + COLUMNS + " from tool_call where tenant = ? and approval_id = ?", tenant, approvalId);
    }

    /**
     * Locks the row for this transaction, waiting at most {@code wait} for another attempt to finish; throws
     * Spring's {@code PessimisticLockingFailureException} (lock timeout) when one holds it longer.
     */
    public LedgerEntry lock(UUID callId, Duration wait) {
        jdbc.execute("set local lock_timeout = " + Math.max(1, wait.toMillis()));
        try {
            return one("select " + COLUMNS + " from tool_call where call_id = ? for update", callId).orElseThrow();
        } catch (org.springframework.dao.DataAccessException e) {
            // Spring leaves PostgreSQL's lock timeout (SQLState 55P03) uncategorised here; callers tell "another
            // attempt holds the row" (IN_PROGRESS) from a real failure by this type. Found by AgentKillMidCallIT: a
            // redelivered approval that met a running attempt answered FAILED instead of waiting for its outcome
            if (isLockTimeout(e)) {
                throw new org.springframework.dao.CannotAcquireLockException(
                        "Tool call " + callId + " is held by another attempt", e);
            }
            throw e;
        }
    }

    private static boolean isLockTimeout(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof java.sql.SQLException sql && "55P03".equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    /** True when an attempt holds the row right now (a status query must not wait for it). */
    public boolean isLocked(UUID callId) {
        return jdbc.queryForList("select call_id from tool_call where call_id = ? for update skip locked",
                UUID.class, callId).isEmpty();
    }

    public void complete(UUID callId, ToolInvokedReply.Status status, String resultJson, String error,
                         long tookMillis, boolean executed) {
        jdbc.update("update tool_call set state = 'COMPLETED', status = ?, result_json = ?, error = ?, took_millis = ?, "
                        + "executions = executions + ?, updated_at = now() where call_id = ?",
                status.name(), resultJson, error, tookMillis, executed ? 1 : 0, callId);
    }

    /** Parks a received call for a human; false when another delivery got there first. */
    public boolean awaitApproval(UUID callId, UUID approvalId, Instant expiresAt, String message) {
        return jdbc.update("update tool_call set state = 'PENDING_APPROVAL', status = 'PENDING_APPROVAL', error = ?, "
                        + "approval_id = ?, approval_expires_at = ?, updated_at = now() "
                        + "where call_id = ? and state = 'RECEIVED'",
                message, approvalId, Timestamp.from(expiresAt), callId) == 1;
    }

    public void recordDecision(UUID callId, State state, String decision, String reason, String decidedBy) {
        jdbc.update("update tool_call set state = ?, decision = ?, decision_reason = ?, decided_by = ?, "
                        + "decided_at = now(), updated_at = now() where call_id = ?",
                state.name(), decision, reason, decidedBy, callId);
    }

    /** Approved calls no attempt holds: left behind by a crash between the approval and the run. */
    public List<UUID> approvedAndIdle(int limit) {
        return jdbc.queryForList("select call_id from tool_call where state = 'APPROVED' "
                + "order by decided_at limit ? for update skip locked", UUID.class, limit);
    }

    /** Pending approvals past their expiry that no attempt holds. */
    public List<UUID> expiredAndIdle(Instant now, int limit) {
        return jdbc.queryForList("select call_id from tool_call where state = 'PENDING_APPROVAL' "
                + "and approval_expires_at < ? order by approval_expires_at limit ? for update skip locked",
                UUID.class, Timestamp.from(now), limit);
    }

    /** A tenant's calls waiting for a human and not expired, oldest first; of one run when {@code runId} is given. */
    public List<LedgerEntry> pendingApprovals(String tenant, String runId, Instant now) {
        return jdbc.query("select " + COLUMNS + " from tool_call where tenant = ? and state = 'PENDING_APPROVAL' "
                        + "and approval_expires_at > ? and (cast(? as text) is null or run_id = ?) order by created_at limit 200",
                MAPPER, tenant, Timestamp.from(now), runId, runId);
    }

    public Optional<LedgerEntry> findById(UUID callId) {
        return one("select " + COLUMNS + " from tool_call where call_id = ?", callId);
    }

    private Optional<LedgerEntry> one(String sql, Object... args) {
        return jdbc.query(sql, MAPPER, args).stream().findFirst();
    }

    private static final RowMapper<LedgerEntry> MAPPER = (ResultSet rs, int row) -> new LedgerEntry(
            rs.getObject("call_id", UUID.class), rs.getString("tenant"), rs.getString("idempotency_key"),
            rs.getString("tool_name"), rs.getString("arguments_json"), rs.getString("request_id"),
            rs.getString("run_id"), rs.getString("step_id"), rs.getString("key_id"), rs.getString("end_user"),
            rs.getString("requested_rid"), rs.getString("provenance_json"), State.valueOf(rs.getString("state")),
            status(rs.getString("status")), rs.getString("result_json"), rs.getString("error"),
            rs.getLong("took_millis"), rs.getInt("deliveries"), rs.getInt("executions"),
            rs.getObject("approval_id", UUID.class), instant(rs, "approval_expires_at"), rs.getString("decision"),
            rs.getString("decision_reason"), rs.getString("decided_by"), instant(rs, "decided_at"),
            instant(rs, "created_at"), instant(rs, "updated_at"));

    private static ToolInvokedReply.Status status(String value) {
        return value == null ? null : ToolInvokedReply.Status.valueOf(value);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp value = rs.getTimestamp(column);
        return value == null ? null : value.toInstant();
    }
}
