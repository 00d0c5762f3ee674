package dev.genaiplatform.orchestrator.batch;

import dev.genaiplatform.contracts.chat.BatchLineQueuedCommand.PriorityClass;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Batches and their lines in PostgreSQL. A line changes status only by a conditional update from the statuses it may
 * come from, and only the take that claimed it ({@code claim_id}) may record its result: two deliveries of one line's
 * record run the model once, and a late result of a take that lost its claim is dropped.
 */
class BatchStore {

    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {
    };
    private static final TypeReference<Map<String, String>> METADATA = new TypeReference<>() {
    };
    private static final TypeReference<List<Map<String, Object>>> ERRORS = new TypeReference<>() {
    };
    /** Lines that still have work ahead. */
    private static final String OPEN_LINES = "('queued', 'running', 'waiting_for_token')";

    private final JdbcClient jdbc;
    private final JdbcTemplate template;
    private final JsonMapper json;
    private final TransactionTemplate transactions;

    BatchStore(JdbcClient jdbc, JdbcTemplate template, JsonMapper json, TransactionTemplate transactions) {
        this.jdbc = jdbc;
        this.template = template;
        this.json = json;
        this.transactions = transactions;
    }

    /**
     * The batch and every line of its input file, valid or not, in one transaction; {@code grant} is the verified
     * batch grant, or null (the batch then runs on tokens its key brings when it calls, see README "Authority").
     */
    void create(Batch batch, List<BatchLine> lines, String grant) {
        this.transactions.executeWithoutResult(status -> {
            this.jdbc.sql("""
                            insert into batches (id, tenant_id, key_id, user_id, groups, models, endpoint, input_file_id,
                                completion_window, metadata, status, errors, total, created_at, in_progress_at, expires_at,
                                failed_at, finalizing_at, completed_at, grant_token, priority)
                            values (?, ?, ?, ?, ?::jsonb, ?::jsonb, ?, ?, ?, ?::jsonb, ?, ?::jsonb, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                    .params(batch.id(), batch.tenantId(), batch.keyId(), batch.userId(),
                            write(batch.groups()), write(List.copyOf(batch.models())), batch.endpoint(),
                            batch.inputFileId(), batch.completionWindow(),
                            batch.metadata() == null ? null : write(batch.metadata()), batch.status(),
                            batch.errors() == null ? null : write(batch.errors()), batch.total(),
                            ts(batch.createdAt()), ts(batch.inProgressAt()), ts(batch.expiresAt()), ts(batch.failedAt()),
                            ts(batch.finalizingAt()), ts(batch.completedAt()), batch.finished() ? null : grant,
                            priorityColumn(batch.priority()))
                    .update();
            this.template.batchUpdate("""
                            insert into batch_lines (batch_id, line_index, custom_id, provider, body, status, queued_at,
                                finished_at, result)
                            values (?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?::jsonb)""", lines, 500,
                    (statement, line) -> {
                        statement.setString(1, line.batchId());
                        statement.setInt(2, line.index());
                        statement.setString(3, line.customId());
                        statement.setString(4, line.provider());
                        statement.setString(5, line.body() == null ? null : line.body().toString());
                        statement.setString(6, line.status());
                        statement.setTimestamp(7, ts(batch.createdAt()));
                        statement.setTimestamp(8, line.result() == null ? null : ts(batch.createdAt()));
                        statement.setString(9, line.result() == null ? null : line.result().toString());
                    });
        });
    }

    Optional<Batch> find(String id) {
        return this.jdbc.sql("select * from batches where id = ?").param(id).query(this::mapBatch).optional();
    }

    /** The batch grant kept with an open batch; empty once the batch ended or its key was revoked (erased then). */
    Optional<String> grant(String batchId) {
        return this.jdbc.sql("select grant_token from batches where id = ? and grant_token is not null")
                .param(batchId).query(String.class).optional();
    }

    /**
     * The key that created these batches was revoked: every open batch of it fails, its unfinished lines (queued,
     * parked or running) go to the error file with the reason, and its grant is erased. A line running right now
     * loses its claim, so its result, when it comes, is dropped. Returns the batches stopped.
     */
    List<String> stopBatchesOfRevokedKey(String tenantId, String keyId) {
        List<String> open = this.jdbc.sql("""
                        select id from batches where tenant_id = ? and key_id = ?
                          and status in ('validating', 'in_progress', 'finalizing', 'cancelling')""")
                .params(tenantId, keyId).query(String.class).list();
        String reason = "The API key that created this batch was revoked; its remaining requests were not run.";
        for (String batchId : open) {
            this.transactions.executeWithoutResult(status -> {
                this.jdbc.sql("""
                                update batch_lines set status = 'failed', finished_at = now(), claim_id = null,
                                    result = jsonb_build_object('id', 'batch_req_' || md5(batch_id || ':' || line_index),
                                        'custom_id', custom_id, 'response', null,
                                        'error', jsonb_build_object('code', 'api_key_revoked', 'message', ?::text))
                                where batch_id = ? and status in %s""".formatted(OPEN_LINES))
                        .params(reason, batchId).update();
                this.jdbc.sql("""
                                update batches set status = 'failed', failed_at = now(), grant_token = null,
                                    errors = jsonb_build_array(jsonb_build_object('code', 'api_key_revoked',
                                        'message', ?::text, 'param', null, 'line', null))
                                where id = ?""")
                        .params(reason, batchId).update();
            });
        }
        return open;
    }

    /** The batch if it belongs to {@code tenantId}: another tenant's batch does not exist for the caller. */
    Optional<Batch> find(String id, String tenantId) {
        return find(id).filter(batch -> batch.tenantId().equals(tenantId));
    }

    /** Newest first, after the batch {@code after} (OpenAI's cursor), at most {@code limit}. */
    List<Batch> list(String tenantId, String after, int limit) {
        if (after == null) {
            return this.jdbc.sql("select * from batches where tenant_id = ? order by created_at desc, id desc limit ?")
                    .params(tenantId, limit).query(this::mapBatch).list();
        }
        return this.jdbc.sql("""
                        select b.* from batches b, batches cursor
                        where cursor.id = ? and cursor.tenant_id = ? and b.tenant_id = ?
                          and (b.created_at, b.id) < (cursor.created_at, cursor.id)
                        order by b.created_at desc, b.id desc limit ?""")
                .params(after, tenantId, tenantId, limit).query(this::mapBatch).list();
    }

    /** {@code request_counts}: lines answered, and lines that ended in the error file. */
    Counts counts(String batchId) {
        return this.jdbc.sql("""
                        select count(*) filter (where status = 'succeeded') as completed,
                               count(*) filter (where status in ('failed', 'expired')) as failed
                        from batch_lines where batch_id = ?""")
                .param(batchId)
                .query((rs, row) -> new Counts(rs.getInt("completed"), rs.getInt("failed"))).single();
    }

    record Counts(int completed, int failed) {
    }

    Optional<BatchLine> line(String batchId, int index) {
        return this.jdbc.sql("select * from batch_lines where batch_id = ? and line_index = ?")
                .params(batchId, index).query(this::mapLine).optional();
    }

    /**
     * Takes a queued line (or one whose take is older than the lease: its instance died) for this take, as long as
     * its batch is in progress. False when it is done, cancelled, or another take holds it.
     */
    boolean claim(String batchId, int index, String claimId, Duration lease) {
        return this.jdbc.sql("""
                        update batch_lines set status = 'running', claim_id = ?, claimed_at = now(), attempts = attempts + 1
                        where batch_id = ? and line_index = ?
                          and (status = 'queued' or (status = 'running' and claimed_at < now() - make_interval(secs => ?)))
                          and exists (select 1 from batches where id = ? and status = 'in_progress')""")
                .params(claimId, batchId, index, (double) lease.toSeconds(), batchId).update() == 1;
    }

    /** Records the result of the take that holds the line; false when it lost the line (cancelled, expired, taken over). */
    boolean finish(String batchId, int index, String claimId, String status, JsonNode result) {
        return this.jdbc.sql("""
                        update batch_lines set status = ?, result = ?::jsonb, finished_at = now(), claim_id = null
                        where batch_id = ? and line_index = ? and claim_id = ? and status = 'running'""")
                .params(status, result.toString(), batchId, index, claimId).update() == 1;
    }

    /** Gives the line back: {@code queued} to be tried again, or {@code waiting_for_token}. */
    boolean release(String batchId, int index, String claimId, String status) {
        return this.jdbc.sql("""
                        update batch_lines set status = ?, claim_id = null, queued_at = now()
                        where batch_id = ? and line_index = ? and claim_id = ? and status = 'running'""")
                .params(status, batchId, index, claimId).update() == 1;
    }

    /** Parks a queued line until a token to act with arrives. */
    boolean park(String batchId, int index) {
        return this.jdbc.sql("""
                        update batch_lines set status = 'waiting_for_token'
                        where batch_id = ? and line_index = ? and status = 'queued'""")
                .params(batchId, index).update() == 1;
    }

    /** Queues a batch's parked lines again; returns them (index and provider) to be published. */
    List<Parked> unpark(String batchId) {
        return this.jdbc.sql("""
                        update batch_lines set status = 'queued', queued_at = now()
                        where batch_id = ? and status = 'waiting_for_token'
                          and exists (select 1 from batches where id = ? and status = 'in_progress')
                        returning line_index, provider""")
                .params(batchId, batchId)
                .query((rs, row) -> new Parked(batchId, rs.getInt("line_index"), rs.getString("provider"))).list();
    }

    record Parked(String batchId, int index, String provider) {
    }

    /** Batches of this tenant and key with lines waiting for a token. */
    List<String> batchesWaitingForToken(String tenantId, String keyId) {
        return this.jdbc.sql("""
                        select distinct l.batch_id from batch_lines l join batches b on b.id = l.batch_id
                        where b.tenant_id = ? and b.key_id = ? and b.status = 'in_progress'
                          and l.status = 'waiting_for_token'""")
                .params(tenantId, keyId).query(String.class).list();
    }

    /** Open batches with lines waiting for a token, of any tenant (for the sweep). */
    List<String> batchesWaitingForToken() {
        return this.jdbc.sql("""
                        select distinct l.batch_id from batch_lines l join batches b on b.id = l.batch_id
                        where b.status = 'in_progress' and l.status = 'waiting_for_token'""")
                .query(String.class).list();
    }

    /** Lines taken by an instance longer ago than the lease: that instance died; they wait for a token again. */
    List<String> releaseStaleClaims(Duration lease) {
        return new ArrayList<>(new HashSet<>(this.jdbc.sql("""
                        update batch_lines set status = 'waiting_for_token', claim_id = null
                        where status = 'running' and claimed_at < now() - make_interval(secs => ?)
                        returning batch_id""")
                .param((double) lease.toSeconds()).query(String.class).list()));
    }

    /**
     * Lines waiting that a new line of class {@code joining} would wait behind, per provider: a {@code BATCH} line
     * waits behind batch lines only, a {@code BULK} line behind every line.
     */
    Map<String, Integer> queuedByProvider(PriorityClass joining) {
        Map<String, Integer> queued = new java.util.HashMap<>();
        this.jdbc.sql("select l.provider, count(*) as lines from batch_lines l join batches b on b.id = l.batch_id"
                        + " where l.status = 'queued' and b.priority in (" + ahead(joining) + ") group by l.provider")
                .query((rs, row) -> queued.put(rs.getString("provider"), rs.getInt("lines"))).list();
        return queued;
    }

    /** When the longest-waiting line that a new line of class {@code joining} waits behind was queued. */
    Optional<Instant> oldestQueued(PriorityClass joining) {
        return this.jdbc.sql("select l.queued_at from batch_lines l join batches b on b.id = l.batch_id"
                        + " where l.status = 'queued' and b.priority in (" + ahead(joining) + ")"
                        + " order by l.queued_at limit 1")
                .query((rs, row) -> rs.getTimestamp(1).toInstant()).optional();
    }

    /** Whether a line of an ordinary ({@code BATCH}) open batch waits: bulk work yields to it. */
    boolean batchLinesWaiting() {
        return Boolean.TRUE.equals(this.jdbc.sql("""
                        select exists (select 1 from batch_lines l join batches b on b.id = l.batch_id
                                       where l.status = 'queued' and b.status = 'in_progress' and b.priority = 'batch')""")
                .query(Boolean.class).single());
    }

    /** The classes a new line of class {@code joining} waits behind, as SQL literals (a fixed set, never input). */
    private static String ahead(PriorityClass joining) {
        return joining == PriorityClass.BULK ? "'batch', 'bulk'" : "'batch'";
    }

    private static String priorityColumn(PriorityClass priority) {
        return priority.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Moves an open batch to {@code cancelling} and cancels its lines that have not started; false when it was not open. */
    boolean cancel(String batchId) {
        return Boolean.TRUE.equals(this.transactions.execute(status -> {
            int changed = this.jdbc.sql("""
                            update batches set status = 'cancelling', cancelling_at = now()
                            where id = ? and status in ('validating', 'in_progress')""")
                    .param(batchId).update();
            if (changed == 0) {
                return false;
            }
            this.jdbc.sql("""
                            update batch_lines set status = 'cancelled', finished_at = now()
                            where batch_id = ? and status in ('queued', 'waiting_for_token')""")
                    .param(batchId).update();
            return true;
        }));
    }

    /**
     * Closes a batch whose lines are all finished: {@code in_progress} passes {@code finalizing} (the files are views of
     * the lines, so there is nothing to write) to {@code completed}; {@code cancelling} becomes {@code cancelled}.
     */
    void finalizeIfDone(String batchId) {
        this.jdbc.sql("""
                        update batches set
                            status = case status when 'cancelling' then 'cancelled' else 'completed' end,
                            finalizing_at = case status when 'cancelling' then finalizing_at else now() end,
                            completed_at = case status when 'cancelling' then completed_at else now() end,
                            cancelled_at = case status when 'cancelling' then now() else cancelled_at end,
                            grant_token = null
                        where id = ? and status in ('in_progress', 'cancelling')
                          and not exists (select 1 from batch_lines where batch_id = ? and status in %s)"""
                        .formatted(OPEN_LINES))
                .params(batchId, batchId).update();
    }

    /** Open batches whose lines are all finished (a crash between a line's result and the batch's close). */
    List<String> finishedButOpen() {
        return this.jdbc.sql("""
                        select id from batches b where status in ('in_progress', 'cancelling')
                          and not exists (select 1 from batch_lines where batch_id = b.id and status in %s)"""
                        .formatted(OPEN_LINES))
                .query(String.class).list();
    }

    /** Batches past their completion window: unfinished lines go to the error file as {@code batch_expired}. */
    List<String> expireOverdue() {
        List<String> overdue = this.jdbc.sql("""
                        select id from batches where status in ('validating', 'in_progress', 'finalizing', 'cancelling')
                          and expires_at < now()""")
                .query(String.class).list();
        for (String batchId : overdue) {
            this.transactions.executeWithoutResult(status -> {
                this.jdbc.sql("""
                                update batch_lines set status = 'expired', finished_at = now(), claim_id = null,
                                    result = jsonb_build_object('id', 'batch_req_' || md5(batch_id || ':' || line_index),
                                        'custom_id', custom_id, 'response', null,
                                        'error', jsonb_build_object('code', 'batch_expired', 'message',
                                            'This request could not be executed before the completion window expired.'))
                                where batch_id = ? and status in %s""".formatted(OPEN_LINES))
                        .param(batchId).update();
                this.jdbc.sql("update batches set status = 'expired', expired_at = now(), grant_token = null where id = ?")
                        .param(batchId).update();
            });
        }
        return overdue;
    }

    /** The finished lines of one kind, in input order: what the output ({@code succeeded}) or error file holds. */
    List<String> results(String batchId, boolean succeeded) {
        return this.jdbc.sql("""
                        select result::text from batch_lines where batch_id = ? and result is not null
                          and (status = 'succeeded') = ? order by line_index""")
                .params(batchId, succeeded).query(String.class).list();
    }

    private Batch mapBatch(ResultSet rs, int row) throws SQLException {
        String metadata = rs.getString("metadata");
        String errors = rs.getString("errors");
        return new Batch(rs.getString("id"), rs.getString("tenant_id"), rs.getString("key_id"),
                rs.getString("user_id"), this.json.readValue(rs.getString("groups"), STRINGS),
                new java.util.LinkedHashSet<>(this.json.readValue(rs.getString("models"), STRINGS)),
                rs.getString("endpoint"), rs.getString("input_file_id"), rs.getString("completion_window"),
                metadata == null ? null : this.json.readValue(metadata, METADATA), rs.getString("status"),
                errors == null ? null : this.json.readValue(errors, ERRORS), rs.getInt("total"),
                instant(rs, "created_at"), instant(rs, "in_progress_at"), instant(rs, "expires_at"),
                instant(rs, "finalizing_at"), instant(rs, "completed_at"), instant(rs, "failed_at"),
                instant(rs, "expired_at"), instant(rs, "cancelling_at"), instant(rs, "cancelled_at"),
                PriorityClass.valueOf(rs.getString("priority").toUpperCase(java.util.Locale.ROOT)));
    }

    private BatchLine mapLine(ResultSet rs, int row) throws SQLException {
        String body = rs.getString("body");
        String result = rs.getString("result");
        return new BatchLine(rs.getString("batch_id"), rs.getInt("line_index"), rs.getString("custom_id"),
                rs.getString("provider"), body == null ? null : this.json.readTree(body), rs.getString("status"),
                rs.getInt("attempts"), result == null ? null : this.json.readTree(result));
    }

    private String write(Object value) {
        return this.json.writeValueAsString(value);
    }

    private static Timestamp ts(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp value = rs.getTimestamp(column);
        return value == null ? null : value.toInstant();
    }
}
