package dev.genaiplatform.gateway.budget;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import dev.genaiplatform.contracts.http.PlatformHttpHeaders;
import dev.genaiplatform.contracts.problem.ProblemType;
import dev.genaiplatform.gateway.FilterOrder;
import dev.genaiplatform.gateway.PlatformGatewayProperties.BudgetProperties;
import dev.genaiplatform.gateway.PlatformGatewayProperties.ModelPrice;
import dev.genaiplatform.gateway.PlatformGatewayProperties.TenantBudget;
import dev.genaiplatform.gateway.budget.BudgetLedger.Reservation;
import dev.genaiplatform.gateway.observability.SampledLog;
import dev.genaiplatform.gateway.problem.Problems;
import dev.genaiplatform.gateway.ratelimit.PendingRateLimit;
import dev.genaiplatform.gateway.server.RequestEventLoop;
import dev.genaiplatform.gateway.tenant.ApiKey;
import dev.genaiplatform.gateway.validation.ValidatedChatRequest;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.server.ServerWebExchange;

/**
 * Token and money budgets for chat completions. Before the call: estimate (prompt tokens + the completion tokens
 * allowed) and reserve it atomically in Redis ({@link BudgetLedger}); a tenant past a hard limit gets 429
 * {@code token_budget_exceeded} or {@code cost_budget_exceeded} with {@code Retry-After} (the end of the window),
 * and a refused request reserves nothing. After the call: the real usage from the answer
 * ({@link UsageCapturingResponse}) replaces the reservation; an answer with an error status costs nothing, and
 * one that reported no usage (a stream cut short) keeps its reservation, the safe side. Every admitted answer
 * carries OpenAI's {@code x-ratelimit-*-tokens} headers for the minute window, and
 * {@code X-Platform-Budget-Warning} once any window passes the soft-limit share.
 *
 * <p>A chat completion's rate-limit check is settled here, in the same Redis script as the reservation
 * ({@link PendingRateLimit}): one round trip instead of two, the bucket's answer applied before the budget's.
 *
 * <p>Redis down: with {@code fail-open} (the default) the request goes through unbudgeted and says so in
 * {@code X-Platform-Budget-Warning: budget-unavailable}; otherwise 503 {@code dependency_unavailable}.
 */
public final class TokenBudgetFilter implements GlobalFilter, Ordered {

    private final BudgetLedger ledger;

    private final BudgetProperties budgets;

    private final TokenEstimator estimator;

    private final Clock clock;

    private final Counter unavailable;

    private final SampledLog unavailableLog = new SampledLog(LoggerFactory.getLogger(TokenBudgetFilter.class),
            Duration.ofSeconds(10));

    public TokenBudgetFilter(BudgetLedger ledger, BudgetProperties budgets, MeterRegistry meters, Clock clock) {
        this.ledger = ledger;
        this.budgets = budgets;
        this.estimator = new TokenEstimator(budgets.defaultMaxTokens());
        this.clock = clock;
        this.unavailable = meters.counter("gateway.budget.unavailable");
    }

    @Override
    public int getOrder() {
        return FilterOrder.BUDGET;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        ValidatedChatRequest request = ValidatedChatRequest.find(exchange).orElse(null);
        if (request == null) {
            return PendingRateLimit.claim(exchange).map(pending -> pending.askAlone(exchange))
                .orElse(Mono.empty()).then(Mono.defer(() -> chain.filter(exchange)));
        }
        ApiKey key = ApiKey.of(exchange);
        TenantBudget budget = TenantBudgets.effective(budgets, key.tenant());
        ModelPrice price = budgets.prices().getOrDefault(request.model(), new ModelPrice(0, 0));
        long prompt = estimator.promptTokens(request.request());
        long completion = estimator.completionTokens(request.request());
        Instant now = clock.instant();
        long microDollars = microDollars(price, prompt, completion);
        PendingRateLimit pendingRateLimit = PendingRateLimit.claim(exchange).orElse(null);
        Mono<Optional<Reservation>> reserved = pendingRateLimit == null
                ? ledger.reserve(key.tenant().id(), key.id(), prompt + completion, microDollars, budget, now)
                    .map(Optional::of)
                    .onErrorResume(this::storeUnavailable)
                // One round trip for the rate limit and the reservation; the bucket's verdict is applied first, with
                // the door's rules, so its 429 (or 503) comes before any budget answer, as it used to.
                : ledger.reserveAfterBucket(pendingRateLimit.bucketKeys(), pendingRateLimit.bucketArguments(),
                        key.tenant().id(), key.id(), prompt + completion, microDollars, budget, now)
                    .flatMap(answer -> pendingRateLimit.decide(exchange,
                            answer.failure() == null ? answer.bucket() : PendingRateLimit.UNAVAILABLE)
                        .then(Mono.defer(() -> answer.failure() == null ? Mono.just(Optional.of(answer.reservation()))
                                : storeUnavailable(answer.failure()))));
        // Redis answers on Lettuce's thread: the rest (token, proxy call, answer) goes on on the client's own loop.
        return RequestEventLoop.resume(exchange, reserved)
            .flatMap(reservation -> {
                if (reservation.isEmpty()) {
                    exchange.getResponse().beforeCommit(() -> {
                        exchange.getResponse().getHeaders().set(PlatformHttpHeaders.BUDGET_WARNING, "budget-unavailable");
                        return Mono.empty();
                    });
                    // The usage chunk the gateway asked for is still not the client's, and a stream still goes
                    // out as whole events (the stream's error event, if it breaks, must not land inside one).
                    if (request.stream()) {
                        return chain.filter(exchange.mutate().response(new UsageCapturingResponse(
                                exchange.getResponse(), true, request.usageInjected())).build());
                    }
                    return chain.filter(exchange);
                }
                Reservation made = reservation.get();
                if (!made.allowed()) {
                    return Mono.error(refusal(made, budget, now));
                }
                exchange.getResponse().beforeCommit(() -> {
                    headers(exchange.getResponse().getHeaders(), made, budget, now);
                    return Mono.empty();
                });
                UsageCapturingResponse response = new UsageCapturingResponse(exchange.getResponse(), request.stream(),
                        request.usageInjected());
                return chain.filter(exchange.mutate().response(response).build())
                    .doFinally(signal -> reconcile(exchange, response, made, price));
            });
    }

    private Mono<Optional<Reservation>> storeUnavailable(Throwable failure) {
        unavailable.increment();
        unavailableLog.info("Budget store unavailable ({}); {} similar lines suppressed", failure.toString());
        return budgets.failOpen() ? Mono.just(Optional.empty())
                : Mono.error(Problems.exception(ProblemType.DEPENDENCY_UNAVAILABLE,
                        "The budget store is unavailable; try again later."));
    }

    private void reconcile(ServerWebExchange exchange, UsageCapturingResponse response, Reservation made, ModelPrice price) {
        UsageCapturingResponse.Usage usage = response.usage();
        int status = exchange.getResponse().getStatusCode() == null ? 200 : exchange.getResponse().getStatusCode().value();
        long tokens;
        long cost;
        if (usage != null) {
            tokens = usage.total();
            cost = microDollars(price, usage.promptTokens(), usage.completionTokens());
        }
        else if (status >= 400) {
            tokens = 0;
            cost = 0;
        }
        else {
            return; // no usage reported: the reservation stands
        }
        ledger.reconcile(made, tokens, cost).onErrorResume(failure -> {
            unavailable.increment();
            return Mono.empty();
        }).subscribe();
    }

    /** US dollars per million tokens times tokens = micro-dollars. */
    static long microDollars(ModelPrice price, long promptTokens, long completionTokens) {
        return Math.round(price.input() * promptTokens + price.output() * completionTokens);
    }

    private void headers(HttpHeaders headers, Reservation made, TenantBudget budget, Instant now) {
        headers.set(PlatformHttpHeaders.RATELIMIT_LIMIT_TOKENS, Long.toString(budget.tokensPerMinute()));
        headers.set(PlatformHttpHeaders.RATELIMIT_REMAINING_TOKENS,
                Long.toString(Math.max(0, budget.tokensPerMinute() - made.minuteTokens())));
        headers.set(PlatformHttpHeaders.RATELIMIT_RESET_TOKENS, seconds(made.windows().minuteEnds(), now) + "s");
        String warning = warning(made, budget);
        if (warning != null) {
            headers.set(PlatformHttpHeaders.BUDGET_WARNING, warning);
        }
    }

    /** Which windows are past the soft share, e.g. {@code tokens-per-day=83%}. */
    private String warning(Reservation made, TenantBudget budget) {
        StringBuilder warning = new StringBuilder();
        share(warning, "tokens-per-minute", made.minuteTokens(), budget.tokensPerMinute());
        share(warning, "tokens-per-day", made.dayTokens(), budget.tokensPerDay());
        share(warning, "cost-per-month", made.monthMicroDollars(), Math.round(budget.costPerMonth() * 1_000_000));
        return warning.isEmpty() ? null : warning.toString();
    }

    private void share(StringBuilder warning, String name, long used, long limit) {
        if (limit > 0 && used >= budgets.softLimitRatio() * limit) {
            warning.append(warning.isEmpty() ? "" : ", ").append(name).append('=').append(used * 100 / limit).append('%');
        }
    }

    private ErrorResponseException refusal(Reservation made, TenantBudget budget, Instant now) {
        Instant resets = switch (made.exhausted()) {
            case MINUTE -> made.windows().minuteEnds();
            case DAY -> made.windows().dayEnds();
            default -> made.windows().monthEnds();
        };
        long retryAfter = seconds(resets, now);
        ErrorResponseException problem = made.exhausted() == BudgetLedger.Exhausted.MONTH
                ? Problems.exception(ProblemType.COST_BUDGET_EXCEEDED, "The tenant's monthly budget of $"
                        + budget.costPerMonth() + " would be exceeded by this request. Retry after " + retryAfter + " s.")
                : Problems.exception(ProblemType.TOKEN_BUDGET_EXCEEDED, "This request's estimate of " + made.tokens()
                        + " tokens (prompt + max_tokens) would exceed the tenant's "
                        + (made.exhausted() == BudgetLedger.Exhausted.MINUTE ? "tokens per minute ("
                                + budget.tokensPerMinute() : "tokens per day (" + budget.tokensPerDay())
                        + "). Lower max_tokens or retry after " + retryAfter + " s.");
        problem.getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(retryAfter));
        problem.getHeaders().set(PlatformHttpHeaders.RATELIMIT_LIMIT_TOKENS, Long.toString(budget.tokensPerMinute()));
        problem.getHeaders().set(PlatformHttpHeaders.RATELIMIT_REMAINING_TOKENS,
                Long.toString(Math.max(0, budget.tokensPerMinute() - made.minuteTokens())));
        problem.getHeaders().set(PlatformHttpHeaders.RATELIMIT_RESET_TOKENS, seconds(made.windows().minuteEnds(), now) + "s");
        return problem;
    }

    private static long seconds(Instant until, Instant now) {
        return Math.max(1, (Duration.between(now, until).toMillis() + 999) / 1000);
    }
}
