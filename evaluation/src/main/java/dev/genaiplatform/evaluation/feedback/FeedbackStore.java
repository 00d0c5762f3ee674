package dev.genaiplatform.evaluation.feedback;

import dev.genaiplatform.contracts.problem.ProblemType;
import dev.genaiplatform.evaluation.api.ApiException;
import dev.genaiplatform.evaluation.events.CompletionEventStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Thumbs up or down on one answer, tenant-scoped and once per user and completion. The completion must be one
 * of the caller's tenant's recorded completions: another tenant's id is a 404, exactly like an unknown one, so
 * the answer never tells a caller that an id exists elsewhere. A second verdict by the same user is a 409; the
 * unique constraint decides, so two racing requests cannot both win.
 */
public class FeedbackStore {

    static final Set<String> BUCKETS = Set.of("hour", "day", "week");

    private final JdbcClient jdbc;
    private final CompletionEventStore events;
    private final MeterRegistry meters;

    /** How long feedback waits for a completion whose event may still be on its way through Kafka. */
    private final Duration recordingGrace;

    public FeedbackStore(JdbcClient jdbc, CompletionEventStore events, MeterRegistry meters, Duration recordingGrace) {
        this.jdbc = jdbc;
        this.events = events;
        this.meters = meters;
        this.recordingGrace = recordingGrace;
    }

    public Feedback give(String tenant, String user, FeedbackRequest request) {
        int rating = request.ratingValue();
        if (request.comment() != null && request.comment().length() > 2000) {
            throw new ApiException(ProblemType.INVALID_VALUE, "'comment' is limited to 2000 characters");
        }
        var labels = recordedLabels(tenant, request.completionId()).orElseThrow(() -> new ApiException(
                ProblemType.NOT_FOUND, "no completion '" + request.completionId() + "' recorded for your tenant "
                + "(feedback can follow a completion only once its event has been recorded, usually within a second)"));
        try {
            Instant created = jdbc.sql("""
                            insert into feedback (tenant_id, completion_id, user_id, rating, comment, model, prompt_version,
                                experiment_arm) values (?, ?, ?, ?, ?, ?, ?, ?) returning created_at""")
                    .params(tenant, request.completionId(), user, rating, request.comment(), labels.model(),
                            labels.promptVersion(), labels.experimentArm())
                    .query(java.sql.Timestamp.class).single().toInstant();
            Counter.builder("platform.evaluation.feedback")
                    .description("User feedback on answers, by rating")
                    .tags("tenant", tenant, "model", labels.model(), "prompt_version", labels.promptVersion(),
                            "rating", rating > 0 ? "up" : "down")
                    .register(meters).increment();
            return new Feedback(request.completionId(), user, rating > 0 ? "up" : "down", request.comment(),
                    labels.model(), labels.promptVersion(), labels.experimentArm(), created);
        } catch (DuplicateKeyException e) {
            throw new ApiException(ProblemType.CONFLICT, "you already gave feedback on completion '"
                    + request.completionId() + "'; feedback is once per user and completion");
        }
    }

    /**
     * The completion's labels, waiting up to the grace for one not recorded yet: the events are fetched in batches
     * (evaluation README, "Wave 7"), so a click right after an answer can arrive before its event is stored.
     */
    private Optional<CompletionEventStore.CompletionLabels> recordedLabels(String tenant, String completionId) {
        long deadline = System.nanoTime() + recordingGrace.toNanos();
        while (true) {
            var labels = events.labelsOf(tenant, completionId);
            if (labels.isPresent() || System.nanoTime() >= deadline) {
                return labels;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return labels;
            }
        }
    }

    /** Positive share per time bucket, model and prompt version, newest bucket first. */
    public List<FeedbackRate> rates(String tenant, String bucket) {
        if (!BUCKETS.contains(bucket)) {
            throw new ApiException(ProblemType.INVALID_VALUE, "'bucket' must be one of " + BUCKETS);
        }
        return jdbc.sql("""
                        select date_trunc(?, created_at) as bucket, model, prompt_version,
                            count(*) filter (where rating > 0) as up, count(*) as total
                        from feedback where tenant_id = ?
                        group by 1, 2, 3 order by 1 desc, 2, 3 limit 1000""")
                .params(bucket, tenant)
                .query((rs, n) -> new FeedbackRate(rs.getTimestamp("bucket").toInstant(), rs.getString("model"),
                        rs.getString("prompt_version"), rs.getLong("up"), rs.getLong("total"),
                        (double) rs.getLong("up") / rs.getLong("total")))
                .list();
    }

    /**
     * One stored verdict.
     *
     * @param completionId  the answer
     * @param user          who gave it (the token's end user, else its key id)
     * @param rating        {@code up} or {@code down}
     * @param comment       free text, optional
     * @param model         the model that answered
     * @param promptVersion the prompt version that produced it
     * @param experimentArm the arm, if any
     * @param createdAt     when
     */
    public record Feedback(String completionId, String user, String rating, String comment, String model,
                           String promptVersion, String experimentArm, Instant createdAt) {
    }

    /**
     * @param bucket        start of the hour, day or week
     * @param model         model
     * @param promptVersion prompt version
     * @param up            thumbs up
     * @param total         all verdicts
     * @param positiveRate  up / total
     */
    public record FeedbackRate(Instant bucket, String model, String promptVersion, long up, long total,
                               double positiveRate) {
    }
}
