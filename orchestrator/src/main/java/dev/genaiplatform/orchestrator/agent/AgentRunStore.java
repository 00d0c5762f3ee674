package dev.genaiplatform.orchestrator.agent;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs, their steps and their parked tool calls in PostgreSQL. Every change of a run's status is a conditional
 * update from the statuses it may come from, so a cancel racing the loop, or two deliveries of one decision,
 * change a run once.
 */
class AgentRunStore {

    private static final TypeReference<List<AgentRun.ToolSpec>> TOOLS = new TypeReference<>() {
    };
    private static final TypeReference<Map<String, Object>> DETAIL = new TypeReference<>() {
    };

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final TransactionTemplate transactions;

    AgentRunStore(JdbcClient jdbc, JsonMapper json, TransactionTemplate transactions) {
        this.jdbc = jdbc;
        this.json = json;
        this.transactions = transactions;
    }

    void create(AgentRun run) {
        this.jdbc.sql("""
                        insert into agent_runs (id, tenant_id, created_by, goal, model, tools, transcript, max_steps,
                            max_tokens, max_cost_usd, max_wall_ms, status, created_at, updated_at)
                        values (?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?, ?, ?, ?, ?, ?, ?)""")
                .params(run.id(), run.tenantId(), run.createdBy(), run.goal(), run.model(),
                        this.json.writeValueAsString(run.tools()), this.json.writeValueAsString(run.transcript()),
                        run.budget().maxSteps(), run.budget().maxTokens(), run.budget().maxCostUsd(),
                        run.budget().maxWallMs(), run.status().name(), Timestamp.from(run.createdAt()),
                        Timestamp.from(run.updatedAt()))
                .update();
    }

    /** The run if it belongs to {@code tenantId}: another tenant's run does not exist for the caller. */
    Optional<AgentRun> find(String runId, String tenantId) {
        return find(runId).filter(run -> run.tenantId().equals(tenantId));
    }

    Optional<AgentRun> find(String runId) {
        return this.jdbc.sql("select * from agent_runs where id = ?").param(runId).query(this::mapRun).optional();
    }

    /** Saves what a model call or tool call changed, as long as the run is still running. */
    boolean saveProgress(String runId, Transcript transcript, int stepsUsed, int tokensUsed, BigDecimal costUsd,
                         long wallUsedMs) {
        return this.jdbc.sql("""
                        update agent_runs set transcript = ?::jsonb, steps_used = ?, tokens_used = ?, cost_usd = ?,
                            wall_used_ms = ?, updated_at = now()
                        where id = ? and status = 'RUNNING'""")
                .params(this.json.writeValueAsString(transcript), stepsUsed, tokensUsed, costUsd, wallUsedMs, runId)
                .update() == 1;
    }

    /** This instance is still working on these runs. */
    void heartbeat(java.util.Collection<String> runIds) {
        if (runIds.isEmpty()) {
            return;
        }
        this.jdbc.sql("update agent_runs set heartbeat_at = now() where status = 'RUNNING' and id in (:ids)"
                        .replace(":ids", bindMarkers(runIds.size())))
                .params(new java.util.ArrayList<Object>(runIds))
                .update();
    }

    /** RUNNING runs nobody has vouched for in {@code quietFor}: their process died (or lost the database). */
    List<String> silentRunning(java.time.Duration quietFor) {
        return this.jdbc.sql("""
                        select id from agent_runs where status = 'RUNNING'
                        and coalesce(heartbeat_at, updated_at) < now() - make_interval(secs => ?)""")
                .params(quietFor.toMillis() / 1000.0)
                .query(String.class).list();
    }

    /**
     * Moves a run from one of {@code from} to {@code to}; false when it was no longer in any of them. A move to
     * RUNNING (a resume) also renews the heartbeat: a run parked for longer than {@code stale-after} would otherwise
     * look dead to {@link InterruptedRuns} in the moment between this update and its loop starting to vouch for it
     * (seen in AgentKillMidCallIT: a resumed run ended {@code interrupted} half a second after it resumed).
     */
    boolean transition(String runId, List<RunStatus> from, RunStatus to, String errorCode, String errorMessage,
                       String answer) {
        return this.jdbc.sql("""
                        update agent_runs set status = ?, error_code = coalesce(?, error_code),
                            error_message = coalesce(?, error_message), answer = coalesce(?, answer), updated_at = now(),
                            heartbeat_at = case when status <> 'RUNNING' and ? then now() else heartbeat_at end
                        where id = ? and status in (:from)""".replace(":from", bindMarkers(from.size())))
                .params(listOf(to.name(), errorCode, errorMessage, answer, to == RunStatus.RUNNING, runId, from))
                .update() == 1;
    }

    /** Runs {@code work} in one transaction: a status change and the event announcing it are seen together. */
    <T> T inTransaction(java.util.function.Supplier<T> work) {
        return this.transactions.execute(status -> work.get());
    }

    /** Appends a step; its id orders the run's event stream. */
    RunStep append(String runId, String type, String stepId, Map<String, Object> detail, int tokens,
                   BigDecimal costUsd) {
        Instant now = Instant.now();
        long seq = this.jdbc.sql("""
                        insert into agent_steps (run_id, type, step_id, detail, tokens, cost_usd, created_at)
                        values (?, ?, ?, ?::jsonb, ?, ?, ?) returning id""")
                .params(runId, type, stepId, this.json.writeValueAsString(detail), tokens, costUsd, Timestamp.from(now))
                .query(Long.class).single();
        return new RunStep(seq, type, stepId, detail, tokens, costUsd, now);
    }

    List<RunStep> steps(String runId, long afterSeq) {
        return this.jdbc.sql("select * from agent_steps where run_id = ? and id > ? order by id")
                .params(runId, afterSeq)
                .query((rs, row) -> new RunStep(rs.getLong("id"), rs.getString("type"), rs.getString("step_id"),
                        this.json.readValue(rs.getString("detail"), DETAIL), rs.getInt("tokens"),
                        rs.getBigDecimal("cost_usd"), rs.getTimestamp("created_at").toInstant()))
                .list();
    }

    /** Parks a run on a tool call, in one transaction: the approval row and the status change land together. */
    boolean park(PendingApproval approval, Transcript transcript, long wallUsedMs) {
        return Boolean.TRUE.equals(this.transactions.execute(status -> parkInTransaction(approval, transcript, wallUsedMs)));
    }

    private boolean parkInTransaction(PendingApproval approval, Transcript transcript, long wallUsedMs) {
        boolean parked = this.jdbc.sql("""
                        update agent_runs set status = 'WAITING_APPROVAL', transcript = ?::jsonb, wall_used_ms = ?,
                            updated_at = now()
                        where id = ? and status = 'RUNNING'""")
                .params(this.json.writeValueAsString(transcript), wallUsedMs, approval.runId())
                .update() == 1;
        if (parked) {
            this.jdbc.sql("""
                            insert into agent_approvals (approval_id, run_id, tenant_id, step_id, tool_call_id,
                                tool_name, arguments, idempotency_key, status, expires_at, created_at)
                            values (?, ?, ?, ?, ?, ?, ?, ?, 'PENDING', ?, now())
                            on conflict (approval_id) do nothing""")
                    .params(approval.approvalId(), approval.runId(), approval.tenantId(), approval.stepId(),
                            approval.toolCallId(), approval.toolName(), approval.arguments(),
                            approval.idempotencyKey(),
                            approval.expiresAt() == null ? null : Timestamp.from(approval.expiresAt()))
                    .update();
        }
        return parked;
    }

    Optional<PendingApproval> approval(String approvalId) {
        return this.jdbc.sql("select * from agent_approvals where approval_id = ?").param(approvalId)
                .query(this::mapApproval).optional();
    }

    List<PendingApproval> approvals(String runId) {
        return this.jdbc.sql("select * from agent_approvals where run_id = ? order by created_at").param(runId)
                .query(this::mapApproval).list();
    }

    /**
     * Records a decision on a pending approval; false when it was decided already (a second delivery of the same
     * decision, or the other path of it: the HTTP reply and the event both arrive).
     */
    boolean decide(String approvalId, String status, String decidedBy, String reason) {
        return this.jdbc.sql("""
                        update agent_approvals set status = ?, decided_by = ?, reason = ?, decided_at = now()
                        where approval_id = ? and status = 'PENDING'""")
                .params(status, decidedBy, reason, approvalId)
                .update() == 1;
    }

    void cancelApprovals(String runId) {
        this.jdbc.sql("update agent_approvals set status = 'CANCELLED', decided_at = now() where run_id = ? and status = 'PENDING'")
                .param(runId).update();
    }

    private AgentRun mapRun(ResultSet rs, int row) throws SQLException {
        return new AgentRun(rs.getString("id"), rs.getString("tenant_id"), rs.getString("created_by"),
                rs.getString("goal"), rs.getString("model"), this.json.readValue(rs.getString("tools"), TOOLS),
                this.json.readValue(rs.getString("transcript"), Transcript.class),
                new AgentRun.Budget(rs.getInt("max_steps"), rs.getInt("max_tokens"), rs.getBigDecimal("max_cost_usd"),
                        rs.getLong("max_wall_ms")),
                RunStatus.valueOf(rs.getString("status")), rs.getString("error_code"), rs.getString("error_message"),
                rs.getString("answer"), rs.getInt("steps_used"), rs.getInt("tokens_used"), rs.getBigDecimal("cost_usd"),
                rs.getLong("wall_used_ms"), rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant());
    }

    private PendingApproval mapApproval(ResultSet rs, int row) throws SQLException {
        Timestamp expires = rs.getTimestamp("expires_at");
        Timestamp decided = rs.getTimestamp("decided_at");
        return new PendingApproval(rs.getString("approval_id"), rs.getString("run_id"), rs.getString("tenant_id"),
                rs.getString("step_id"), rs.getString("tool_call_id"), rs.getString("tool_name"),
                rs.getString("arguments"), rs.getString("idempotency_key"), rs.getString("status"),
                expires == null ? null : expires.toInstant(), rs.getString("decided_by"), rs.getString("reason"),
                decided == null ? null : decided.toInstant());
    }

    private static String bindMarkers(int count) {
        return String.join(", ", java.util.Collections.nCopies(count, "?"));
    }

    private static List<Object> listOf(Object a, Object b, Object c, Object d, Object e, Object f,
                                       List<RunStatus> from) {
        List<Object> values = new java.util.ArrayList<>(java.util.Arrays.asList(a, b, c, d, e, f));
        from.forEach(status -> values.add(status.name()));
        return values;
    }
}
