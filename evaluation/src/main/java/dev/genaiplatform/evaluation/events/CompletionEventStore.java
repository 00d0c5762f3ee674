package dev.genaiplatform.evaluation.events;

import dev.genaiplatform.contracts.chat.ChatCompletionRecordedEvent;
import dev.genaiplatform.contracts.chat.ChatCompletionRecordedEvent.Outcome;
import dev.genaiplatform.contracts.chat.RequestProvenance;
import dev.genaiplatform.contracts.guardrails.Verdict;
import dev.genaiplatform.evaluation.events.AggregateSnapshot.Percentiles;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.json.JsonMapper;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Completion events in PostgreSQL, the single source of the aggregates. Storing is idempotent: the event id is
 * the primary key and a second insert of the same id does nothing, so Kafka's at-least-once delivery becomes
 * once-only processing, across restarts and replicas alike. The listener commits the offset only after
 * {@link #store} returns, so a crash between the two redelivers the event, and the key drops it.
 */
public class CompletionEventStore {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final JdbcClient jdbc;
    private final CompletionMeters meters;

    public CompletionEventStore(JdbcClient jdbc, MeterRegistry meterRegistry, Duration highestTrackableLatency) {
        this.jdbc = jdbc;
        this.meters = new CompletionMeters(meterRegistry, highestTrackableLatency);
    }

    /**
     * Stores a valid event under the tenant its verified token names.
     *
     * @return false when an event with this id was already stored (nothing changed)
     * @throws IllegalArgumentException when the event lacks what an aggregate needs; nothing is stored
     */
    public boolean store(ChatCompletionRecordedEvent event, String tenant) {
        validate(event);
        return storeAll(List.of(new TenantEvent<>(tenant, event))) == 1;
    }

    /**
     * Stores a batch of events already {@linkplain #validate validated}, in one statement: the ids already stored
     * (or repeated within the batch) are dropped and counted as duplicates, the others move the meters once.
     *
     * @return how many were new
     */
    public int storeAll(List<TenantEvent<ChatCompletionRecordedEvent>> events) {
        List<TenantEvent<ChatCompletionRecordedEvent>> stored = BatchInsert.insertNew(jdbc, """
                        insert into completion_event (event_id, occurred_at, request_id, tenant_id, model, streamed,
                            prompt_tokens, completion_tokens, latency_millis, time_to_first_token_millis,
                            guardrail_verdict, outcome, finish_reason, prompt_version, served_model, route_rule, cache,
                            experiment_arm, conversation_id, user_id, retrieval_settings, retrieved_chunk_ids, cost_usd)
                        values""",
                "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?)", 23,
                events, one -> one.event().eventId(), CompletionEventStore::row);
        meters.recordDuplicates(events.size() - stored.size());
        stored.forEach(one -> meters.record(one.event(), one.tenant()));
        return stored.size();
    }

    private static List<Object> row(TenantEvent<ChatCompletionRecordedEvent> tenantEvent) {
        ChatCompletionRecordedEvent event = tenantEvent.event();
        RequestProvenance provenance = event.provenance();
        return Arrays.asList(event.eventId(),
                Timestamp.from(event.occurredAt() == null ? java.time.Instant.now() : event.occurredAt()),
                event.requestId(), tenantEvent.tenant(), event.model(), event.streamed(),
                event.promptTokens(), event.completionTokens(), event.latencyMillis(),
                event.timeToFirstTokenMillis(),
                event.guardrailVerdict() == null ? null : event.guardrailVerdict().name(),
                event.outcome().name(), event.finishReason(),
                provenance == null ? null : provenance.promptVersion(),
                provenance == null ? null : provenance.servedModel(),
                provenance == null ? null : provenance.routeRule(),
                provenance == null ? null : provenance.cache(),
                provenance == null ? null : provenance.experimentArm(),
                provenance == null ? null : provenance.conversationId(),
                provenance == null ? null : provenance.userId(),
                provenance == null || provenance.retrievalSettings() == null ? null
                        : JSON.writeValueAsString(provenance.retrievalSettings()),
                event.retrievedChunkIds() == null ? null : JSON.writeValueAsString(event.retrievedChunkIds()),
                event.costUsd());
    }

    /** Whether the tenant has a completion with this id (the chat completion id a client received). */
    public boolean completionExists(String tenant, String completionId) {
        return jdbc.sql("select exists (select 1 from completion_event where tenant_id = ? and request_id = ?)")
                .params(tenant, completionId).query(Boolean.class).single();
    }

    /** The model and prompt version that produced a tenant's completion, for labelling its feedback. */
    public Optional<CompletionLabels> labelsOf(String tenant, String completionId) {
        return jdbc.sql("""
                        select model, coalesce(prompt_version, ?) as prompt_version, experiment_arm
                        from completion_event where tenant_id = ? and request_id = ?
                        order by occurred_at limit 1""")
                .params(CompletionMeters.NO_PROMPT_VERSION, tenant, completionId)
                .query((rs, n) -> new CompletionLabels(rs.getString(1), rs.getString(2), rs.getString(3)))
                .optional();
    }

    /** The aggregates of one tenant, sorted by model; only those of {@code model} when it is not null. */
    public List<AggregateSnapshot> aggregatesOf(String tenant, String model) {
        return jdbc.sql("""
                        select model, count(*) as requests,
                            count(*) filter (where outcome = 'ANSWERED') as answered,
                            count(*) filter (where outcome = 'NO_ANSWER') as no_answer,
                            count(*) filter (where outcome = 'REFUSED_BY_GUARDRAILS') as refused,
                            count(*) filter (where outcome = 'FAILED') as failed,
                            count(*) filter (where streamed) as streamed,
                            coalesce(sum(prompt_tokens), 0) as prompt_tokens,
                            coalesce(sum(completion_tokens), 0) as completion_tokens,
                            percentile_disc(0.5) within group (order by latency_millis) as latency_p50,
                            percentile_disc(0.95) within group (order by latency_millis) as latency_p95,
                            percentile_disc(0.99) within group (order by latency_millis) as latency_p99,
                            max(latency_millis) as latency_max,
                            count(time_to_first_token_millis) as ttft_samples,
                            percentile_disc(0.5) within group (order by time_to_first_token_millis) as ttft_p50,
                            percentile_disc(0.95) within group (order by time_to_first_token_millis) as ttft_p95,
                            percentile_disc(0.99) within group (order by time_to_first_token_millis) as ttft_p99,
                            max(time_to_first_token_millis) as ttft_max,
                            count(*) filter (where guardrail_verdict = 'ALLOWED') as allowed,
                            count(*) filter (where guardrail_verdict = 'REDACTED') as redacted,
                            count(*) filter (where guardrail_verdict = 'BLOCKED') as blocked,
                            coalesce(sum(cost_usd), 0) as cost_usd
                        from completion_event
                        where tenant_id = :tenant and (cast(:model as text) is null or model = :model)
                        group by model order by model""")
                .param("tenant", tenant).param("model", model)
                .query((rs, n) -> snapshot(tenant, rs))
                .list();
    }

    /**
     * Online rates per time bucket ({@code hour}, {@code day}, {@code week}), model and prompt version, newest
     * first: what a prompt or model change did to answers, refusals, blocks and cost, from the durable events.
     */
    public List<QualityRate> ratesOf(String tenant, String bucket) {
        return jdbc.sql("""
                        select date_trunc(?, occurred_at) as bucket, model,
                            coalesce(prompt_version, ?) as prompt_version, count(*) as requests,
                            count(*) filter (where outcome = 'ANSWERED') as answered,
                            count(*) filter (where outcome in ('NO_ANSWER', 'REFUSED_BY_GUARDRAILS')) as refused,
                            count(*) filter (where guardrail_verdict = 'BLOCKED') as blocked,
                            count(*) filter (where outcome = 'FAILED') as failed,
                            avg(cost_usd) as mean_cost
                        from completion_event where tenant_id = ?
                        group by 1, 2, 3 order by 1 desc, 2, 3 limit 1000""")
                .params(bucket, CompletionMeters.NO_PROMPT_VERSION, tenant)
                .query((rs, n) -> {
                    long requests = rs.getLong("requests");
                    double meanCost = rs.getDouble("mean_cost");
                    return new QualityRate(rs.getTimestamp("bucket").toInstant(), rs.getString("model"),
                            rs.getString("prompt_version"), requests, (double) rs.getLong("answered") / requests,
                            (double) rs.getLong("refused") / requests, (double) rs.getLong("blocked") / requests,
                            (double) rs.getLong("failed") / requests, rs.wasNull() ? null : meanCost);
                })
                .list();
    }

    /**
     * @param bucket        start of the hour, day or week
     * @param model         model the client asked for
     * @param promptVersion prompt version ({@code unknown} when the event did not say)
     * @param requests      events in the bucket
     * @param answeredRate  outcome ANSWERED
     * @param refusalRate   NO_ANSWER + REFUSED_BY_GUARDRAILS
     * @param blockRate     guardrail verdict BLOCKED
     * @param failureRate   outcome FAILED
     * @param meanCostUsd   mean cost of the events that carried one; null when none did
     */
    public record QualityRate(java.time.Instant bucket, String model, String promptVersion, long requests,
                              double answeredRate, double refusalRate, double blockRate, double failureRate,
                              Double meanCostUsd) {
    }

    private static AggregateSnapshot snapshot(String tenant, ResultSet rs) throws SQLException {
        Map<Outcome, Long> outcomes = new EnumMap<>(Outcome.class);
        outcomes.put(Outcome.ANSWERED, rs.getLong("answered"));
        outcomes.put(Outcome.NO_ANSWER, rs.getLong("no_answer"));
        outcomes.put(Outcome.REFUSED_BY_GUARDRAILS, rs.getLong("refused"));
        outcomes.put(Outcome.FAILED, rs.getLong("failed"));
        Map<Verdict, Long> verdicts = new EnumMap<>(Verdict.class);
        verdicts.put(Verdict.ALLOWED, rs.getLong("allowed"));
        verdicts.put(Verdict.REDACTED, rs.getLong("redacted"));
        verdicts.put(Verdict.BLOCKED, rs.getLong("blocked"));
        long requests = rs.getLong("requests");
        long streamed = rs.getLong("streamed");
        return new AggregateSnapshot(tenant, rs.getString("model"), requests, Collections.unmodifiableMap(outcomes),
                outcomes.get(Outcome.REFUSED_BY_GUARDRAILS) + outcomes.get(Outcome.NO_ANSWER),
                streamed, requests - streamed, rs.getLong("prompt_tokens"), rs.getLong("completion_tokens"),
                percentiles(requests, rs, "latency"), percentiles(rs.getLong("ttft_samples"), rs, "ttft"),
                Collections.unmodifiableMap(verdicts), rs.getDouble("cost_usd"));
    }

    private static Percentiles percentiles(long samples, ResultSet rs, String prefix) throws SQLException {
        if (samples == 0) {
            return new Percentiles(0, null, null, null, null);
        }
        return new Percentiles(samples, rs.getLong(prefix + "_p50"), rs.getLong(prefix + "_p95"),
                rs.getLong(prefix + "_p99"), rs.getLong(prefix + "_max"));
    }

    /**
     * @throws IllegalArgumentException naming what the event lacks for an aggregate (it is dead-lettered)
     */
    public static void validate(ChatCompletionRecordedEvent event) {
        if (event == null) {
            throw new IllegalArgumentException("no event (empty record value)");
        }
        requireText(event.eventId(), "eventId");
        requireText(event.model(), "model");
        if (event.outcome() == null) {
            throw new IllegalArgumentException("event " + event.eventId() + " has no outcome");
        }
        if (event.promptTokens() < 0 || event.completionTokens() < 0 || event.latencyMillis() < 0
                || (event.timeToFirstTokenMillis() != null && event.timeToFirstTokenMillis() < 0)
                || (event.costUsd() != null && (event.costUsd() < 0 || event.costUsd().isNaN()))) {
            throw new IllegalArgumentException("event " + event.eventId() + " has a negative token count, duration or cost");
        }
    }

    private static void requireText(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("event has no " + field);
        }
    }

    /** What produced a completion, as labels for feedback and experiment reports. */
    public record CompletionLabels(String model, String promptVersion, String experimentArm) {
    }
}
