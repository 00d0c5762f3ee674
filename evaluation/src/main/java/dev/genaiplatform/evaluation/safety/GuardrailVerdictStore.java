package dev.genaiplatform.evaluation.safety;

import dev.genaiplatform.contracts.guardrails.GuardrailVerdictRecordedEvent;
import dev.genaiplatform.evaluation.events.BatchInsert;
import dev.genaiplatform.evaluation.events.TenantEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * Guardrail verdicts in PostgreSQL, the source of the online safety signals. Idempotent like the completion
 * store: the event id is the primary key, a redelivered event changes nothing and moves no meter.
 *
 * <p>Rates are shares of all checks at a stage in a bucket: "3% of inputs this hour were blocked as LLM01" is a
 * number that drifts when an attack wave starts or a detector starts over-blocking; a share of the LLM01-labelled
 * verdicts alone would not show either. One check can carry several categories, so category counts can add up to
 * more than the checks.
 */
public class GuardrailVerdictStore {

    private static final int MAX_STAGE_LENGTH = 64;

    private final JdbcClient jdbc;
    private final SafetyMeters meters;
    private final Counter duplicates;

    public GuardrailVerdictStore(JdbcClient jdbc, MeterRegistry meterRegistry) {
        this.jdbc = jdbc;
        this.meters = new SafetyMeters(meterRegistry);
        this.duplicates = Counter.builder("platform.evaluation.duplicate.events").register(meterRegistry);
    }

    /**
     * Stores a valid verdict under the tenant its verified token names.
     *
     * @return false when an event with this id was already stored
     * @throws IllegalArgumentException when the event lacks what a rate needs; nothing is stored
     */
    public boolean store(GuardrailVerdictRecordedEvent event, String tenant) {
        validate(event);
        return storeAll(List.of(new TenantEvent<>(tenant, event))) == 1;
    }

    /**
     * Stores a batch of verdicts already {@linkplain #validate validated}, in one statement; ids already stored
     * (or repeated within the batch) are dropped and counted as duplicates.
     *
     * @return how many were new
     */
    public int storeAll(List<TenantEvent<GuardrailVerdictRecordedEvent>> events) {
        List<TenantEvent<GuardrailVerdictRecordedEvent>> stored = BatchInsert.insertNew(jdbc, """
                        insert into guardrail_verdict_event (event_id, occurred_at, request_id, tenant_id, stage, policy,
                            verdict, injection_score, finding_count, owasp_categories, took_micros)
                        values""", "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?::text[], ?)", 11,
                events, one -> one.event().eventId(), GuardrailVerdictStore::row);
        duplicates.increment(events.size() - stored.size());
        for (TenantEvent<GuardrailVerdictRecordedEvent> one : stored) {
            meters.record(one.event().stage(), one.event().verdict().name(),
                    OwaspCategories.shortIds(one.event().owaspCategories()));
        }
        return stored.size();
    }

    private static List<Object> row(TenantEvent<GuardrailVerdictRecordedEvent> tenantEvent) {
        GuardrailVerdictRecordedEvent event = tenantEvent.event();
        return Arrays.asList(event.eventId(), Timestamp.from(event.occurredAt() == null ? Instant.now() : event.occurredAt()),
                event.requestId(), tenantEvent.tenant(), event.stage(), event.policy(), event.verdict().name(),
                event.injectionScore(), event.findings() == null ? 0 : event.findings().size(),
                "{" + String.join(",", OwaspCategories.shortIds(event.owaspCategories())) + "}", event.tookMicros());
    }

    /** Per bucket ({@code hour}, {@code day}, {@code week}), stage and category, newest first. */
    public List<SafetyRate> ratesOf(String tenant, String bucket, Instant from, Instant to) {
        return jdbc.sql("""
                        with v as (
                            select date_trunc(:bucket, occurred_at) as bucket, stage, verdict,
                                case when cardinality(owasp_categories) = 0 then array[cast(:none as text)]
                                     else owasp_categories end as categories
                            from guardrail_verdict_event
                            where tenant_id = :tenant and occurred_at >= :from and occurred_at < :to),
                        checks as (select bucket, stage, count(*) as checks from v group by bucket, stage)
                        select v.bucket, v.stage, c.category, checks.checks, count(*) as verdicts,
                            count(*) filter (where v.verdict = 'BLOCKED') as blocked,
                            count(*) filter (where v.verdict = 'REDACTED') as redacted,
                            count(*) filter (where v.verdict = 'ALLOWED') as allowed
                        from v cross join lateral unnest(v.categories) as c(category)
                        join checks on checks.bucket = v.bucket and checks.stage = v.stage
                        group by v.bucket, v.stage, c.category, checks.checks
                        order by v.bucket desc, v.stage, c.category limit 2000""")
                .param("bucket", bucket).param("none", OwaspCategories.NONE).param("tenant", tenant)
                .param("from", Timestamp.from(from)).param("to", Timestamp.from(to))
                .query((rs, n) -> {
                    long checks = rs.getLong("checks");
                    long blocked = rs.getLong("blocked");
                    long redacted = rs.getLong("redacted");
                    return new SafetyRate(rs.getTimestamp("bucket").toInstant(), rs.getString("stage"),
                            rs.getString("category"), checks, rs.getLong("verdicts"), blocked, redacted,
                            rs.getLong("allowed"), share(blocked, checks), share(redacted, checks));
                })
                .list();
    }

    /** Totals per category over a period, every stage together: the online column next to the red-team scorecard. */
    public SafetySummary summaryOf(String tenant, Instant from, Instant to) {
        List<SafetySummary.CategoryCount> categories = jdbc.sql("""
                        select c.category, count(*) as verdicts,
                            count(*) filter (where v.verdict = 'BLOCKED') as blocked,
                            count(*) filter (where v.verdict = 'REDACTED') as redacted,
                            count(*) filter (where v.verdict = 'ALLOWED') as allowed
                        from guardrail_verdict_event v
                        cross join lateral unnest(case when cardinality(v.owasp_categories) = 0 then array[cast(:none as text)]
                                                       else v.owasp_categories end) as c(category)
                        where v.tenant_id = :tenant and v.occurred_at >= :from and v.occurred_at < :to
                        group by c.category order by c.category""")
                .param("none", OwaspCategories.NONE).param("tenant", tenant)
                .param("from", Timestamp.from(from)).param("to", Timestamp.from(to))
                .query((rs, n) -> new SafetySummary.CategoryCount(rs.getString("category"), rs.getLong("verdicts"),
                        rs.getLong("blocked"), rs.getLong("redacted"), rs.getLong("allowed")))
                .list();
        long checks = jdbc.sql("""
                        select count(*) from guardrail_verdict_event
                        where tenant_id = :tenant and occurred_at >= :from and occurred_at < :to""")
                .param("tenant", tenant).param("from", Timestamp.from(from)).param("to", Timestamp.from(to))
                .query(Long.class).single();
        return new SafetySummary(from, to, checks, categories);
    }

    private static double share(long part, long whole) {
        return whole == 0 ? 0 : (double) part / whole;
    }

    /**
     * @throws IllegalArgumentException naming what the verdict lacks for a rate (it is dead-lettered)
     */
    public static void validate(GuardrailVerdictRecordedEvent event) {
        if (event == null) {
            throw new IllegalArgumentException("no event (empty record value)");
        }
        if (event.eventId() == null || event.eventId().isBlank()) {
            throw new IllegalArgumentException("verdict event has no eventId");
        }
        if (event.verdict() == null) {
            throw new IllegalArgumentException("verdict event " + event.eventId() + " has no verdict");
        }
        if (event.stage() == null || event.stage().isBlank() || event.stage().length() > MAX_STAGE_LENGTH) {
            throw new IllegalArgumentException("verdict event " + event.eventId() + " has no stage (or one over "
                    + MAX_STAGE_LENGTH + " characters)");
        }
        if (event.tookMicros() < 0 || (event.injectionScore() != null
                && !(event.injectionScore() >= 0 && event.injectionScore() <= 1))) {
            throw new IllegalArgumentException("verdict event " + event.eventId()
                    + " has a negative duration or an injection score outside [0, 1]");
        }
    }

    /**
     * One bucket, stage and category.
     *
     * @param checks        verdicts at this stage in this bucket, any category: the denominator
     * @param verdicts      verdicts labelled with this category ({@code none}: unlabelled)
     * @param blockedShare  blocked with this category / checks
     * @param redactedShare redacted with this category / checks
     */
    public record SafetyRate(Instant bucket, String stage, String category, long checks, long verdicts, long blocked,
                             long redacted, long allowed, double blockedShare, double redactedShare) {
    }
}
