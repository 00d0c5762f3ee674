package dev.genaiplatform.evaluation.runs;

import dev.genaiplatform.evaluation.golden.GoldenSet;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.json.JsonMapper;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Runs and their scored answers in PostgreSQL, always read and written under the owning tenant. */
public class RunRepository {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String COLUMNS = "id, set_name, set_version, inline_set, model, experiment_arm, repetitions, "
            + "status, total_calls, completed_calls, summary, error, created_at, finished_at";

    private final JdbcClient jdbc;

    public RunRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void create(UUID id, String tenant, GoldenSet set, boolean inline, OfflineRun.RunOptions options) {
        jdbc.sql("""
                        insert into evaluation_run (id, tenant_id, set_name, set_version, inline_set, model, experiment_arm,
                            repetitions, status, total_calls) values (?, ?, ?, ?, ?, ?, ?, ?, 'QUEUED', ?)""")
                .params(id, tenant, set.name(), set.version(), inline, options.model(), options.experimentArm(),
                        options.repetitions(), set.cases().size() * options.repetitions())
                .update();
    }

    void markRunning(UUID id) {
        jdbc.sql("update evaluation_run set status = 'RUNNING' where id = ?").params(id).update();
    }

    void addResult(UUID id, CaseResult result) {
        jdbc.sql("""
                        insert into evaluation_result (run_id, case_id, repetition, result) values (?, ?, ?, ?::jsonb)
                        on conflict do nothing""")
                .params(id, result.caseId(), result.repetition(), JSON.writeValueAsString(result)).update();
        jdbc.sql("update evaluation_run set completed_calls = completed_calls + 1 where id = ?").params(id).update();
    }

    void succeed(UUID id, RunSummary summary) {
        jdbc.sql("update evaluation_run set status = 'SUCCEEDED', summary = ?::jsonb, finished_at = ? where id = ?")
                .params(JSON.writeValueAsString(summary), Timestamp.from(Instant.now()), id).update();
    }

    void fail(UUID id, String error) {
        jdbc.sql("update evaluation_run set status = 'FAILED', error = ?, finished_at = ? where id = ?")
                .params(error, Timestamp.from(Instant.now()), id).update();
    }

    /** Runs a previous process left unfinished: their threads are gone, so they are failed, not resumed. */
    int failUnfinished(String reason) {
        return jdbc.sql("""
                        update evaluation_run set status = 'FAILED', error = ?, finished_at = now()
                        where status in ('QUEUED', 'RUNNING')""").params(reason).update();
    }

    public Optional<RunView> find(String tenant, UUID id) {
        return jdbc.sql("select " + COLUMNS + " from evaluation_run where tenant_id = ? and id = ?")
                .params(tenant, id).query((rs, n) -> view(rs)).optional();
    }

    public List<RunView> list(String tenant, int limit) {
        return jdbc.sql("select " + COLUMNS + " from evaluation_run where tenant_id = ? order by created_at desc limit ?")
                .params(tenant, limit).query((rs, n) -> view(rs)).list();
    }

    public List<CaseResult> results(UUID id) {
        return jdbc.sql("select result from evaluation_result where run_id = ? order by case_id, repetition")
                .params(id).query((rs, n) -> JSON.readValue(rs.getString(1), CaseResult.class)).list();
    }

    private static RunView view(ResultSet rs) throws SQLException {
        String summary = rs.getString("summary");
        Timestamp finished = rs.getTimestamp("finished_at");
        return new RunView(rs.getObject("id", UUID.class), rs.getString("set_name"), rs.getInt("set_version"),
                rs.getBoolean("inline_set"), rs.getString("model"),
                rs.getString("experiment_arm"), rs.getInt("repetitions"), rs.getString("status"),
                rs.getInt("total_calls"), rs.getInt("completed_calls"),
                summary == null ? null : JSON.readValue(summary, RunSummary.class), rs.getString("error"),
                rs.getTimestamp("created_at").toInstant(), finished == null ? null : finished.toInstant());
    }
}
