package dev.genaiplatform.orchestrator.resilience;

import com.openai.core.http.Headers;
import com.openai.errors.InternalServerException;
import com.openai.errors.RateLimitException;
import dev.genaiplatform.contracts.problem.ProblemType;
import dev.genaiplatform.orchestrator.OrchestratorProperties;
import dev.genaiplatform.orchestrator.provider.ChatProviders;
import dev.genaiplatform.orchestrator.provider.ChatProviders.ResolvedModel;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import reactor.core.publisher.Flux;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class ResilientModelCallsTests {

    private static final ResilienceSettings SETTINGS = new ResilienceSettings(Duration.ofSeconds(1),
            Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(30), 2, Duration.ofMillis(1),
            Duration.ofMillis(5), Duration.ofSeconds(3), 50, 4, 4, Duration.ofSeconds(30), 2);

    private final ChatProviders providers = ChatProviders.create(new OrchestratorProperties(null, null, null,
            Duration.ofSeconds(2), Map.of("p", new OrchestratorProperties.Provider(
                    OrchestratorProperties.ProviderKind.OPENAI, "http://127.0.0.1:9/v1", "k", Duration.ofSeconds(1), 0, true)),
            Map.of("m", new OrchestratorProperties.Model("p", "m", 16384, null)), SETTINGS, null, null, null, null,
            null, null, null, null, null), ObservationRegistry.NOOP);
    private final ResolvedModel model = this.providers.resolve("m");

    @Test
    void aProviderThatKeepsFailingOpensItsCircuitAndIsThenRefusedWithout503Retries() {
        ResilientModelCalls calls = new ResilientModelCalls(SETTINGS, new SimpleMeterRegistry());
        AtomicInteger providerCalls = new AtomicInteger();

        for (int i = 0; i < 2; i++) {   // 2 requests x 2 attempts = 4 failures: the window is full and all failed
            run(calls, () -> {
                providerCalls.incrementAndGet();
                return Flux.error(serverError());
            });
        }
        ModelCallFailedException refused = run(calls, () -> {
            providerCalls.incrementAndGet();
            return Flux.just(answer("never"));
        });

        assertThat(providerCalls).hasValue(4);
        assertThat(refused.type()).isEqualTo(ProblemType.MODEL_UNAVAILABLE);
        assertThat(refused.retryAfter()).isEqualTo(Duration.ofSeconds(30));
        assertThat(calls.breaker("p").getState().name()).isEqualTo("OPEN");
    }

    @Test
    void aRateLimitWithAShortRetryAfterIsWaitedForAndALongOneIsPassedToTheClient() {
        ResilientModelCalls calls = new ResilientModelCalls(SETTINGS, new SimpleMeterRegistry());
        AtomicInteger attempts = new AtomicInteger();

        List<String> log = new ArrayList<>();
        ChatResponse answered = calls.stream(List.of(this.model), m -> attempts.incrementAndGet() == 1
                        ? Flux.error(rateLimited("0")) : Flux.just(answer("ok")), true,
                Instant.now().plusSeconds(10), () -> false, (m, outcome) -> log.add(outcome)).blockLast();
        ModelCallFailedException tooLong = run(calls, () -> Flux.error(rateLimited("120")));

        assertThat(answered.getResult().getOutput().getText()).isEqualTo("ok");
        assertThat(log).containsExactly("rate_limited", "ok");
        assertThat(tooLong.type()).isEqualTo(ProblemType.RATE_LIMIT_EXCEEDED);
        assertThat(tooLong.retryAfter()).isEqualTo(Duration.ofSeconds(120));
    }

    @Test
    void nothingIsRetriedOnceTheClientHasTokens() {
        ResilientModelCalls calls = new ResilientModelCalls(SETTINGS, new SimpleMeterRegistry());
        AtomicInteger attempts = new AtomicInteger();

        Throwable failure = catchThrowableOfType(ModelCallFailedException.class, () -> calls.stream(List.of(this.model),
                m -> {
                    attempts.incrementAndGet();
                    return Flux.just(answer("partial")).concatWith(Flux.error(serverError()));
                }, false, Instant.now().plusSeconds(10), () -> true, (m, outcome) -> { }).blockLast());

        assertThat(attempts).hasValue(1);
        assertThat(((ModelCallFailedException) failure).type()).isEqualTo(ProblemType.MODEL_FAILED);
    }

    @Test
    void aStreamedAttemptThatBrokeBeforeTheClientHadTokensIsRetriedThenFallsBack() {
        ResilientModelCalls calls = new ResilientModelCalls(SETTINGS, new SimpleMeterRegistry());
        ResolvedModel fallback = ChatProviders.create(new OrchestratorProperties(null, null, null,
                Duration.ofSeconds(2), Map.of("q", new OrchestratorProperties.Provider(
                        OrchestratorProperties.ProviderKind.OPENAI, "http://127.0.0.1:9/v1", "k", Duration.ofSeconds(1), 0, true)),
                Map.of("f", new OrchestratorProperties.Model("q", "f", 16384, null)), SETTINGS, null, null, null, null,
                null, null, null, null, null), ObservationRegistry.NOOP).resolve("f");
        List<String> log = new ArrayList<>();
        AtomicInteger givenUp = new AtomicInteger();

        // streamed (whole = false): the broken attempt's first words were produced but not yet sent to the client
        List<String> seen = calls.stream(List.of(this.model, fallback), m -> m == this.model
                        ? Flux.just(answer("first words ")).concatWith(Flux.error(serverError()))
                        : Flux.just(answer("the fallback's answer")), false, Instant.now().plusSeconds(10),
                () -> {
                    givenUp.incrementAndGet();
                    return false;
                }, (m, outcome) -> log.add(m.name() + ":" + outcome))
                .map(r -> r.getResult().getOutput().getText()).collectList().block();

        assertThat(log).containsExactly("m:server_error_500", "m:server_error_500", "f:ok");
        assertThat(givenUp).hasValue(2);
        // the layer passes every piece on; the caller drops those of attempts it gave up (see StreamAttempts)
        assertThat(seen).containsExactly("first words ", "first words ", "the fallback's answer");
    }

    @Test
    void aModelSlowerThanTheDeadlineEndsIn504AtTheDeadlineWithoutFallbackAndWithoutBlamingTheProvider() {
        ResilientModelCalls calls = new ResilientModelCalls(SETTINGS, new SimpleMeterRegistry());
        ResolvedModel fallback = fallbackModel();
        List<String> log = new ArrayList<>();

        // the first-token timeout is 1 s; the request has 150 ms left
        Throwable failure = catchThrowableOfType(ModelCallFailedException.class, () -> calls.stream(
                List.of(this.model, fallback), m -> m == this.model ? Flux.<ChatResponse>never()
                        : Flux.just(answer("too late")), false, Instant.now().plusMillis(150), () -> false,
                (m, outcome) -> log.add(m.name() + ":" + outcome)).blockLast());

        assertThat(((ModelCallFailedException) failure).type()).isEqualTo(ProblemType.UPSTREAM_TIMEOUT);
        assertThat(log).containsExactly("m:deadline");   // the fallback was not started after the deadline
        assertThat(calls.breaker("p").getMetrics().getNumberOfFailedCalls()).isZero();
    }

    @Test
    void aWholeAnswerAskedNonStreamedIsBoundedByTheProvidersCallTimeoutInsteadOfTheFirstTokenTimeout() {
        ResilientModelCalls calls = new ResilientModelCalls(SETTINGS, new SimpleMeterRegistry());
        ResolvedModel unstreamed = ChatProviders.create(new OrchestratorProperties(null, null, null,
                Duration.ofSeconds(2), Map.of("u", new OrchestratorProperties.Provider(
                        OrchestratorProperties.ProviderKind.OPENAI, "http://127.0.0.1:9/v1", "k", Duration.ofSeconds(5), 0,
                        false)),
                Map.of("w", new OrchestratorProperties.Model("u", "w", 16384, null)), SETTINGS, null, null, null, null,
                null, null, null, null, null), ObservationRegistry.NOOP).resolve("w");
        // silent for longer than the 1 s first-token timeout, then the whole answer at once
        Flux<ChatResponse> silentThenWhole = Flux.just(answer("the whole answer")).delaySubscription(Duration.ofMillis(1300));
        List<String> log = new ArrayList<>();

        List<ChatResponse> answered = calls.stream(List.of(unstreamed), m -> silentThenWhole, true,
                Instant.now().plusSeconds(10), () -> false, (m, outcome) -> log.add(m.name() + ":" + outcome))
                .collectList().block();
        // the same silence from a provider that streams whole answers (the default) is a first-token timeout
        Throwable streamed = catchThrowableOfType(ModelCallFailedException.class, () -> calls.stream(
                List.of(this.model), m -> silentThenWhole, true, Instant.now().plusSeconds(10), () -> false,
                (m, outcome) -> log.add(m.name() + ":" + outcome)).blockLast());

        assertThat(answered).extracting(r -> r.getResult().getOutput().getText()).containsExactly("the whole answer");
        assertThat(streamed).isNotNull();
        assertThat(log).containsExactly("w:ok", "m:timeout");
    }

    @Test
    void aStreamThatReachedTheClientAndThenRanPastTheDeadlineEndsAsAnUpstreamTimeout() {
        ResilientModelCalls calls = new ResilientModelCalls(SETTINGS, new SimpleMeterRegistry());

        Throwable failure = catchThrowableOfType(ModelCallFailedException.class, () -> calls.stream(List.of(this.model),
                m -> Flux.just(answer("first words")).concatWith(Flux.never()), false,
                Instant.now().plusMillis(200), () -> true, (m, outcome) -> { }).blockLast());

        assertThat(((ModelCallFailedException) failure).type()).isEqualTo(ProblemType.UPSTREAM_TIMEOUT);
    }

    @Test
    void callsBeyondAFullBulkheadAreRefusedAtOnceAs503ServiceBusy() {
        ResilientModelCalls calls = new ResilientModelCalls(SETTINGS, new SimpleMeterRegistry());
        AtomicInteger providerCalls = new AtomicInteger();
        java.util.function.Function<ResolvedModel, Flux<ChatResponse>> held = m -> {
            providerCalls.incrementAndGet();
            return Flux.never();
        };
        List<reactor.core.Disposable> inside = List.of(
                calls.stream(List.of(this.model), held, true, Instant.now().plusSeconds(10), () -> false, (m, o) -> { })
                        .subscribe(r -> { }, e -> { }),
                calls.stream(List.of(this.model), held, true, Instant.now().plusSeconds(10), () -> false, (m, o) -> { })
                        .subscribe(r -> { }, e -> { }));

        ModelCallFailedException busy = run(calls, () -> {
            providerCalls.incrementAndGet();
            return Flux.just(answer("never"));
        });
        inside.forEach(reactor.core.Disposable::dispose);

        assertThat(busy.type()).isEqualTo(ProblemType.SERVICE_BUSY);
        assertThat(busy.retryAfter()).isEqualTo(Duration.ofSeconds(1));
        assertThat(busy.attempts()).containsExactly("bulkhead_full");
        assertThat(providerCalls).hasValue(2);
    }

    private ResolvedModel fallbackModel() {
        return ChatProviders.create(new OrchestratorProperties(null, null, null,
                Duration.ofSeconds(2), Map.of("q", new OrchestratorProperties.Provider(
                        OrchestratorProperties.ProviderKind.OPENAI, "http://127.0.0.1:9/v1", "k", Duration.ofSeconds(1), 0, true)),
                Map.of("f", new OrchestratorProperties.Model("q", "f", 16384, null)), SETTINGS, null, null, null, null,
                null, null, null, null, null), ObservationRegistry.NOOP).resolve("f");
    }

    @Test
    void retryAfterIsReadAsSecondsOrAsAnHttpDate() {
        assertThat(ModelFailure.retryAfter("7")).isEqualTo(Duration.ofSeconds(7));
        assertThat(ModelFailure.retryAfter("Wed, 21 Oct 2015 07:28:00 GMT")).isEqualTo(Duration.ZERO);
        assertThat(ModelFailure.retryAfter("soon")).isNull();
    }

    private ModelCallFailedException run(ResilientModelCalls calls,
                                         java.util.function.Supplier<Flux<ChatResponse>> provider) {
        return catchThrowableOfType(ModelCallFailedException.class, () -> calls.stream(List.of(this.model),
                m -> provider.get(), true, Instant.now().plusSeconds(10), () -> false, (m, outcome) -> { }).blockLast());
    }

    private static ChatResponse answer(String text) {
        return new ChatResponse(List.of(new Generation(new AssistantMessage(text))));
    }

    private static InternalServerException serverError() {
        return InternalServerException.builder().statusCode(500).headers(Headers.builder().build()).build();
    }

    private static RateLimitException rateLimited(String retryAfter) {
        return RateLimitException.builder().headers(Headers.builder().put("retry-after", retryAfter).build()).build();
    }
}
