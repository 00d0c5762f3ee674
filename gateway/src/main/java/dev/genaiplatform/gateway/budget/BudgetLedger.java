package dev.genaiplatform.gateway.budget;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import dev.genaiplatform.gateway.PlatformGatewayProperties.TenantBudget;
import dev.genaiplatform.gateway.RedisScripts;
import reactor.core.publisher.Mono;

import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * A tenant's token and money budgets in Redis, shared by every gateway instance. Fixed windows: the calendar
 * minute, the UTC day, the UTC month. Reserving checks every window and adds to all of them in one Lua script,
 * so concurrent requests on any number of instances can never together pass a limit; the real usage replaces
 * the reservation afterwards. All keys of a tenant share one hash tag ({@code {tenant}}), so the scripts stay
 * valid on Redis Cluster. The key's own daily count is kept alongside, for per-key accounting. A chat completion's
 * reservation also takes its rate-limit token ({@link #reserveAfterBucket}); that script spans two hash tags, the
 * bucket's and the tenant's, which one Redis accepts and Redis Cluster would not (README, Limits).
 */
public final class BudgetLedger {

    static final long MINUTE_TTL = 120;

    static final long DAY_TTL = 2 * 86_400;

    static final long MONTH_TTL = 40 * 86_400;

    // text read once (RedisScripts): a script built on a resource re-checks the resource on every call
    @SuppressWarnings({ "unchecked", "rawtypes" })
    private static final RedisScript<List<Long>> RESERVE = (RedisScript) RedisScripts.load(
            "scripts/budget_reserve.lua", List.class);

    private static final RedisScript<Long> RECONCILE = RedisScripts.load("scripts/budget_reconcile.lua", Long.class);

    private static final RedisScript<Long> RELEASE = RedisScripts.load("scripts/budget_release.lua", Long.class);

    private final ReactiveStringRedisTemplate redis;

    /** The bucket script and {@link #RESERVE} as one: {@link #reserveAfterBucket}. */
    private final RedisScript<List<Long>> bucketThenReserve;

    /**
     * @param bucketScript the rate limiter's token-bucket script (Spring Cloud Gateway's), taken by
     *        {@link #reserveAfterBucket} as it is, so a chat completion drains the same bucket by the same rule as
     *        every other request
     */
    @SuppressWarnings({ "unchecked", "rawtypes" })
    public BudgetLedger(ReactiveStringRedisTemplate redis, RedisScript<List<Long>> bucketScript) {
        this.redis = redis;
        this.bucketThenReserve = (RedisScript) RedisScript.of("local function bucket(KEYS, ARGV)\n"
                + bucketScript.getScriptAsString() + "\nend\nlocal function reserve(KEYS, ARGV)\n"
                + RESERVE.getScriptAsString() + "\nend\n"
                + RedisScripts.text("scripts/bucket_then_reserve.lua"), List.class);
    }

    /** Reserves {@code tokens} and {@code microDollars} in the windows of {@code now}, or says which limit is spent. */
    public Mono<Reservation> reserve(String tenant, String keyId, long tokens, long microDollars, TenantBudget budget,
            Instant now) {
        Windows windows = Windows.of(tenant, keyId, now).withReservation(UUID.randomUUID().toString());
        return redis.execute(RESERVE, windows.keys(), reserveArguments(tokens, microDollars, budget))
            .next()
            .map(result -> reservation(result, windows, tokens, microDollars))
            // A timeout may come after Redis ran the script: take the reservation back, or a request that was
            // refused (503) would still have spent budget.
            .onErrorResume(failure -> redis.execute(RELEASE, windows.keys(), List.of()).then(Mono.<Reservation>error(failure))
                .onErrorResume(releaseFailed -> Mono.error(failure)));
    }

    /**
     * Takes a rate-limit bucket's token and, only if the bucket had one, reserves as {@link #reserve} does: one round
     * trip for what used to be two. Never fails: when Redis cannot be asked the answer says so
     * ({@link BucketAndReservation#failure}), after the reservation was taken back as in {@link #reserve}.
     */
    public Mono<BucketAndReservation> reserveAfterBucket(List<String> bucketKeys, List<String> bucketArguments,
            String tenant, String keyId, long tokens, long microDollars, TenantBudget budget, Instant now) {
        Windows windows = Windows.of(tenant, keyId, now).withReservation(UUID.randomUUID().toString());
        List<String> keys = new ArrayList<>(bucketKeys);
        keys.addAll(windows.keys());
        List<String> arguments = new ArrayList<>(bucketArguments);
        arguments.addAll(reserveArguments(tokens, microDollars, budget));
        return redis.execute(bucketThenReserve, keys, arguments)
            .next()
            .map(result -> new BucketAndReservation(result.subList(0, 2), result.get(0) == 0 ? null
                    : reservation(result.subList(2, 7), windows, tokens, microDollars), null))
            .onErrorResume(failure -> redis.execute(RELEASE, windows.keys(), List.of()).then()
                .onErrorResume(releaseFailed -> Mono.empty())
                .thenReturn(new BucketAndReservation(null, null, failure)));
    }

    /**
     * What {@link #reserveAfterBucket} learnt.
     *
     * @param bucket the bucket script's answer {allowed 1/0, tokens left}; null when Redis could not be asked
     * @param reservation the reservation's outcome; null when the bucket refused or Redis could not be asked
     * @param failure why Redis could not be asked, or null
     */
    public record BucketAndReservation(List<Long> bucket, Reservation reservation, Throwable failure) {
    }

    private static List<String> reserveArguments(long tokens, long microDollars, TenantBudget budget) {
        long monthLimit = Math.round(budget.costPerMonth() * 1_000_000);
        return List.of(Long.toString(tokens), Long.toString(microDollars), Long.toString(budget.tokensPerMinute()),
                Long.toString(budget.tokensPerDay()), Long.toString(monthLimit), Long.toString(MINUTE_TTL),
                Long.toString(DAY_TTL), Long.toString(MONTH_TTL));
    }

    /** budget_reserve.lua's answer {allowed, exhausted, minute, day, month} as a reservation. */
    private static Reservation reservation(List<Long> result, Windows windows, long tokens, long microDollars) {
        return new Reservation(result.get(0) == 1, Exhausted.values()[result.get(1).intValue()], windows, tokens,
                microDollars, result.get(2), result.get(3), result.get(4));
    }

    /** Adds the difference between the real usage and the reservation to the reservation's windows. */
    public Mono<Void> reconcile(Reservation reservation, long tokens, long microDollars) {
        long tokenDelta = tokens - reservation.tokens();
        long costDelta = microDollars - reservation.microDollars();
        if (tokenDelta == 0 && costDelta == 0) {
            return Mono.empty();
        }
        return redis.execute(RECONCILE, reservation.windows().keys(), List.of(Long.toString(tokenDelta),
                Long.toString(costDelta), Long.toString(DAY_TTL), Long.toString(MONTH_TTL))).then();
    }

    public enum Exhausted {
        NONE, MINUTE, DAY, MONTH
    }

    /**
     * @param allowed whether the reservation was made
     * @param exhausted the limit that refused it
     * @param minuteTokens tokens counted this minute (including this reservation if allowed)
     * @param dayTokens tokens counted today
     * @param monthMicroDollars money counted this month
     */
    public record Reservation(boolean allowed, Exhausted exhausted, Windows windows, long tokens, long microDollars,
            long minuteTokens, long dayTokens, long monthMicroDollars) {
    }

    /** The Redis keys of one moment's windows, and when each ends. */
    public record Windows(String minute, String day, String month, String keyDay, String reservation,
            Instant minuteEnds, Instant dayEnds, Instant monthEnds) {

        public static Windows of(String tenant, String keyId, Instant now) {
            ZonedDateTime utc = now.atZone(ZoneOffset.UTC);
            long minuteIndex = now.getEpochSecond() / 60;
            long dayIndex = now.getEpochSecond() / 86_400;
            // yyyyMM without String.format (a format string parsed per request)
            String month = utc.getYear() + (utc.getMonthValue() < 10 ? "0" : "") + utc.getMonthValue();
            String prefix = "budget:{" + tenant + "}:";
            return new Windows(prefix + "tokens:minute:" + minuteIndex, prefix + "tokens:day:" + dayIndex,
                    prefix + "usd-micros:month:" + month, prefix + "key:" + keyId + ":tokens:day:" + dayIndex,
                    prefix + "reservation:-",
                    Instant.ofEpochSecond((minuteIndex + 1) * 60), Instant.ofEpochSecond((dayIndex + 1) * 86_400),
                    utc.withDayOfMonth(1).toLocalDate().plusMonths(1).atStartOfDay(ZoneOffset.UTC).toInstant());
        }

        Windows withReservation(String id) {
            return new Windows(minute, day, month, keyDay, minute.substring(0, minute.indexOf("}:") + 2) + "reservation:" + id,
                    minuteEnds, dayEnds, monthEnds);
        }

        List<String> keys() {
            return List.of(minute, day, month, keyDay, reservation);
        }
    }
}
