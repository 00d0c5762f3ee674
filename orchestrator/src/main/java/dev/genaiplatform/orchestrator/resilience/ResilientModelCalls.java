package dev.genaiplatform.orchestrator.resilience;

import dev.genaiplatform.contracts.problem.ProblemType;
import dev.genaiplatform.orchestrator.provider.ChatProviders.ResolvedModel;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedBulkheadMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.github.resilience4j.reactor.bulkhead.operator.BulkheadOperator;
import io.github.resilience4j.reactor.circuitbreaker.operator.CircuitBreakerOperator;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

/**
 * Calls a model so that one sick provider does not become the client's problem: per provider a circuit breaker
 * (counting failed streams too, since the whole stream is the call) and a bulkhead; per call a first-token, an
 * idle and a total timeout (the total is the gateway's deadline); retries with full jitter, honouring a
 * provider's {@code Retry-After}; then the next option of the fallback chain.
 *
 * <p>The deadline is a hard stop: every timeout is cut to the time left, a timeout that hits the deadline ends the
 * request with 504 at once (no retry, no fallback starts after it) and is not held against the provider's circuit.
 *
 * <p>Retries and fallbacks happen only while nothing has reached the client. A streamed answer whose first
 * token went out can no longer be replaced: its failure passes through, and the caller ends the stream with an
 * explicit error event.
 */
public final class ResilientModelCalls {

    private static final Logger log = LoggerFactory.getLogger(ResilientModelCalls.class);
    /** A full bulkhead frees a slot as soon as one call ends: worth trying again soon. */
    private static final Duration BUSY_RETRY_AFTER = Duration.ofSeconds(1);

    private final ResilienceSettings settings;
    private final CircuitBreakerRegistry breakers;
    private final BulkheadRegistry bulkheads;

    public ResilientModelCalls(ResilienceSettings settings, MeterRegistry meters) {
        this.settings = settings;
        this.breakers = CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
                .failureRateThreshold(settings.failureRateThreshold())
                .slidingWindowSize(settings.slidingWindow())
                .minimumNumberOfCalls(settings.minimumCalls())
                .waitDurationInOpenState(settings.openDuration())
                .permittedNumberOfCallsInHalfOpenState(2)
                .recordException(failure -> ModelFailure.of(failure).countsAgainstProvider())
                // the request ran out of its own time: neither a failure nor a success of the provider
                .ignoreException(failure -> ModelFailure.of(failure).kind() == ModelFailure.Kind.DEADLINE)
                .build());
        this.bulkheads = BulkheadRegistry.of(BulkheadConfig.custom()
                .maxConcurrentCalls(settings.maxConcurrentCalls())
                .maxWaitDuration(Duration.ZERO)
                .build());
        TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(this.breakers).bindTo(meters);
        TaggedBulkheadMetrics.ofBulkheadRegistry(this.bulkheads).bindTo(meters);
    }

    public ResilienceSettings settings() {
        return this.settings;
    }

    public CircuitBreaker breaker(String provider) {
        return this.breakers.circuitBreaker(provider);
    }

    /**
     * The model's answer, from the first option of {@code chain} that gives one.
     *
     * @param chain     the chosen model first, then its fallbacks
     * @param call      starts one call of one option
     * @param whole     the client waits for the whole answer: each attempt is collected on its own, so a failed
     *                  attempt's pieces never mix with the next attempt's, and retries stay possible throughout.
     *                  For a provider that answers whole answers non-streamed, {@code call} is expected to ask it
     *                  so ({@code ChatProvider.whole}), and its call timeout replaces the first-token timeout
     * @param deadline  when the whole model stage must be over
     * @param committed asked once per failed attempt: true when something of it reached the client (then no
     *                  retry, no fallback). A caller that answers false gives that attempt up: none of its pieces
     *                  still on their way may reach the client after that answer
     * @param log       receives one entry per attempt, {@code model:outcome}
     * @param <T>       what one attempt emits (a model chunk, or a chunk tagged with its attempt's number)
     */
    public <T> Flux<T> stream(List<ResolvedModel> chain, Function<ResolvedModel, Flux<T>> call,
                              boolean whole, Instant deadline, java.util.function.BooleanSupplier committed,
                              CallLog log) {
        return attempt(new Run<>(chain, call, whole, deadline, committed, log), 0, 1);
    }

    /** Records the attempts of one request, for the response metadata and the event. */
    public interface CallLog {
        void attempt(ResolvedModel model, String outcome);
    }

    private record Run<T>(List<ResolvedModel> chain, Function<ResolvedModel, Flux<T>> call, boolean whole,
                          Instant deadline, java.util.function.BooleanSupplier committed, CallLog log,
                          List<ModelFailure> failures) {

        Run(List<ResolvedModel> chain, Function<ResolvedModel, Flux<T>> call, boolean whole,
            Instant deadline, java.util.function.BooleanSupplier committed, CallLog log) {
            this(chain, call, whole, deadline, committed, log, new ArrayList<>());
        }

        Duration remaining() {
            Duration left = Duration.between(Instant.now(), this.deadline);
            return left.isNegative() ? Duration.ZERO : left;
        }
    }

    private <T> Flux<T> attempt(Run<T> run, int option, int attemptNo) {
        ResolvedModel model = run.chain().get(option);
        if (run.remaining().isZero()) {
            return Flux.error(finalFailure(run, true));
        }
        CircuitBreaker breaker = breaker(model.provider().name());
        Bulkhead bulkhead = this.bulkheads.bulkhead(model.provider().name());
        // A provider asked for a whole answer non-streamed sends nothing until the answer is done: the wait for its
        // one piece is bounded by the provider's call timeout instead of the first-token timeout.
        Duration firstPiece = run.whole() && model.provider().answersWholeUnstreamed()
                ? model.provider().callTimeout() : this.settings.firstTokenTimeout();
        Flux<T> timed = Flux.defer(() -> run.call().apply(model))
                .timeout(Mono.defer(() -> timer(firstPiece, run)),
                        item -> timer(this.settings.idleTimeout(), run));
        if (run.whole()) {
            timed = timed.collectList().flatMapIterable(pieces -> pieces);
        }
        Flux<T> guarded = timed
                .transformDeferred(CircuitBreakerOperator.of(breaker))
                .transformDeferred(BulkheadOperator.of(bulkhead))
                .doOnComplete(() -> run.log().attempt(model, "ok"));
        return guarded.onErrorResume(error -> {
            ModelFailure failure = ModelFailure.of(error);
            run.log().attempt(model, failure.label());
            if (run.committed().getAsBoolean()) {
                // Tokens already reached the client: this answer cannot be retried or replaced.
                return Flux.error(finalFailureOf(failure, error, run));
            }
            run.failures().add(failure);
            log.debug("Model {} attempt {} failed: {}", model.name(), attemptNo, failure.label());
            if (failure.kind() == ModelFailure.Kind.DEADLINE) {
                return Flux.error(finalFailure(run, true));
            }
            if (failure.kind() == ModelFailure.Kind.REJECTED) {
                return Flux.error(finalFailureOf(failure, error, run));
            }
            Duration wait = retryWait(failure, attemptNo);
            if (wait != null && wait.compareTo(run.remaining()) < 0) {
                return Mono.delay(wait).thenMany(Flux.defer(() -> attempt(run, option, attemptNo + 1)));
            }
            if (option + 1 < run.chain().size()) {
                return attempt(run, option + 1, 1);
            }
            return Flux.error(finalFailure(run, run.remaining().isZero()));
        });
    }

    /** How long to wait before trying the same option again, or null to move on. */
    private Duration retryWait(ModelFailure failure, int attemptNo) {
        if (attemptNo >= this.settings.maxAttempts()) {
            return null;
        }
        return switch (failure.kind()) {
            case TRANSIENT -> {
                if (failure.retryAfter() != null) {
                    yield failure.retryAfter().compareTo(this.settings.maxRetryAfter()) <= 0 ? failure.retryAfter() : null;
                }
                long cap = Math.min(this.settings.backoffCap().toMillis(),
                        this.settings.backoff().toMillis() << Math.min(attemptNo - 1, 16));
                yield Duration.ofMillis(ThreadLocalRandom.current().nextLong(cap + 1));
            }
            case RATE_LIMITED -> failure.retryAfter() != null
                    && failure.retryAfter().compareTo(this.settings.maxRetryAfter()) <= 0 ? failure.retryAfter() : null;
            case TIMEOUT, DEADLINE, REFUSED_LOCALLY, REJECTED -> null;
        };
    }

    /**
     * Fires after {@code limit}, or at the deadline when that comes first: then as a {@link DeadlineReachedException},
     * so the request's own deadline is told apart from a provider that is too slow.
     */
    private static Mono<Long> timer(Duration limit, Run<?> run) {
        Duration left = run.remaining();
        if (limit.compareTo(left) < 0) {
            return Mono.delay(limit);
        }
        return Mono.delay(left).then(Mono.error(new DeadlineReachedException()));
    }

    /**
     * What the client hears when no option answered. All rate limited: 429 with the shortest {@code Retry-After}
     * a provider gave. Every option's bulkhead full: 503 {@code service_busy}, retry in a second. Refused by open
     * circuits (maybe mixed with full bulkheads or rate limits): 503 {@code model_unavailable} with the circuit's
     * open duration as {@code Retry-After}. Out of time: 504. Otherwise the providers failed: 502.
     */
    private ModelCallFailedException finalFailure(Run<?> run, boolean outOfTime) {
        List<ModelFailure> failures = run.failures();
        List<String> attempts = failures.stream().map(ModelFailure::label).toList();
        if (outOfTime) {
            return new ModelCallFailedException(ProblemType.UPSTREAM_TIMEOUT,
                    "No model answered before the request's deadline.", null, null, attempts, null);
        }
        if (!failures.isEmpty() && failures.stream().allMatch(f -> f.kind() == ModelFailure.Kind.RATE_LIMITED)) {
            return new ModelCallFailedException(ProblemType.RATE_LIMIT_EXCEEDED,
                    "Every model that could serve this request is rate limited by its provider. Retry after the "
                            + "time in Retry-After.", null, shortestRetryAfter(failures), attempts, null);
        }
        if (!failures.isEmpty() && failures.stream().allMatch(ModelFailure::bulkheadFull)) {
            return new ModelCallFailedException(ProblemType.SERVICE_BUSY,
                    "Every model that could serve this request is at its limit of concurrent calls. Retry shortly.",
                    null, BUSY_RETRY_AFTER, attempts, null);
        }
        if (!failures.isEmpty() && failures.stream().allMatch(f -> f.kind() == ModelFailure.Kind.RATE_LIMITED
                || f.kind() == ModelFailure.Kind.REFUSED_LOCALLY)) {
            return new ModelCallFailedException(ProblemType.MODEL_UNAVAILABLE,
                    "No model can take this request right now (providers failing or saturated). Retry shortly.",
                    null, this.settings.openDuration(), attempts, null);
        }
        return new ModelCallFailedException(ProblemType.MODEL_FAILED,
                "The model provider failed to answer (" + String.join(", ", attempts) + ").", null, null, attempts,
                null);
    }

    private ModelCallFailedException finalFailureOf(ModelFailure failure, Throwable error, Run<?> run) {
        List<String> attempts = run.failures().stream().map(ModelFailure::label).toList();
        if (failure.kind() == ModelFailure.Kind.REJECTED) {
            if ("context_length_exceeded".equals(failure.errorCode())) {
                return new ModelCallFailedException(ProblemType.PROMPT_TOO_LONG,
                        "The prompt does not fit the model's context window. Shorten the conversation.", "messages",
                        null, attempts, error);
            }
            return new ModelCallFailedException(ProblemType.INVALID_VALUE,
                    "The model server rejected the request (" + failure.label() + ").", null, null, attempts, error);
        }
        if (failure.kind() == ModelFailure.Kind.DEADLINE) {
            return new ModelCallFailedException(ProblemType.UPSTREAM_TIMEOUT,
                    "The model's answer did not finish before the request's deadline.", null, null, attempts, error);
        }
        return new ModelCallFailedException(ProblemType.MODEL_FAILED,
                "The model's answer broke off (" + failure.label() + ").", null, null, attempts, error);
    }

    private static Duration shortestRetryAfter(List<ModelFailure> failures) {
        return failures.stream().map(ModelFailure::retryAfter).filter(Objects::nonNull)
                .min(Comparator.naturalOrder()).orElse(Duration.ofSeconds(1));
    }
}
