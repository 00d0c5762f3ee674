package dev.genaiplatform.orchestrator.chat;

import dev.genaiplatform.contracts.chat.ChatCompletionRecordedEvent;
import dev.genaiplatform.contracts.chat.ChatCompletionRecordedEvent.Outcome;
import dev.genaiplatform.contracts.http.PlatformHttpHeaders;
import dev.genaiplatform.contracts.retrieval.TextEmbedding;
import dev.genaiplatform.orchestrator.answer.AnswerKindRules;
import dev.genaiplatform.orchestrator.citation.Citation;
import dev.genaiplatform.orchestrator.citation.CitationExtractor;
import dev.genaiplatform.orchestrator.experiment.ExperimentAssigner;
import dev.genaiplatform.orchestrator.guardrails.OutputGuard;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import dev.genaiplatform.contracts.problem.ProblemType;
import dev.genaiplatform.orchestrator.OrchestratorProperties;
import dev.genaiplatform.orchestrator.budget.PriceTable;
import dev.genaiplatform.orchestrator.budget.TenantSpend;
import dev.genaiplatform.orchestrator.cache.ExactAnswerCache;
import dev.genaiplatform.orchestrator.cache.StoredAnswer;
import dev.genaiplatform.orchestrator.chat.RequestTrace.Stage;
import dev.genaiplatform.orchestrator.citation.GroundingCheck;
import dev.genaiplatform.orchestrator.events.CompletionEventPublisher;
import dev.genaiplatform.orchestrator.memory.ConversationMemory;
import dev.genaiplatform.orchestrator.memory.ModelSummariser;
import dev.genaiplatform.orchestrator.prompt.GroundedPrompt;
import dev.genaiplatform.orchestrator.prompt.TokenCounter;
import dev.genaiplatform.orchestrator.provider.ChatProviders;
import dev.genaiplatform.orchestrator.provider.ChatProviders.ResolvedModel;
import dev.genaiplatform.orchestrator.resilience.ResilientModelCalls;
import dev.genaiplatform.orchestrator.routing.ModelRouter;
import dev.genaiplatform.orchestrator.routing.ModelRouter.RoutingInput;
import dev.genaiplatform.orchestrator.routing.RouteDecision;
import dev.genaiplatform.orchestrator.provider.ModelRequest;
import dev.genaiplatform.orchestrator.security.Caller;
import dev.genaiplatform.orchestrator.semantic.QuestionEmbedder;
import dev.genaiplatform.orchestrator.semantic.SemanticAnswerCache;
import dev.genaiplatform.orchestrator.structured.JsonSchemaCheck;
import io.micrometer.context.ContextSnapshotFactory;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.tracing.Tracer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.util.function.SingletonSupplier;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One chat request, step by step. Read {@link #begin} and {@link #compute} top to bottom to follow a request:
 * <ol>
 *   <li>the model is checked against the caller's token and, for {@code auto}, chosen by the router,</li>
 *   <li>the exact cache answers a request it has seen (and one request per key computes, the others wait),</li>
 *   <li>guardrails check everything that will reach the model (and may mask or block it),</li>
 *   <li>retrieval finds passages for the question,</li>
 *   <li>the prompt is built from a template within the chosen model's window,</li>
 *   <li>the model answers through the resilience layer (timeouts, retries, breakers, fallbacks),</li>
 *   <li>the answer's {@code [n]} markers become citations,</li>
 *   <li>a completion event is published, whatever the outcome.</li>
 * </ol>
 * Steps 1 to 5 run before the response starts, so their failures are plain problem+json answers; the model is
 * asked to stream (a whole answer too, unless its provider is set to {@code stream-whole-answers: false}), and one
 * {@link AnswerAccumulator} builds both the streamed and the whole answer.
 *
 * Steps 3 to 5 (guardrails, retrieval, answer kind, prompt) are {@link PromptPreparation}; the answer's trace is
 * built by {@link AnswerTraces}; a stream's output checks are {@link AnswerOutputCheck}.
 *
 * <p>The code blocks while it waits for Kafka replies: it runs on a virtual thread (see
 * {@code ChatCompletionController}), where waiting is cheap and the code reads in the order things happen. Only a plain
 * exact-cache hit is answered without one, on the event loop ({@link #answer}).
 */
@Service
class ChatCompletionService {

    private static final Logger log = LoggerFactory.getLogger(ChatCompletionService.class);

    private final PromptPreparation preparation;
    private final ChatProviders providers;
    private final ResilientModelCalls modelCalls;
    private final ModelRouter router;
    private final ExactAnswerCache cache;
    private final TenantSpend spend;
    private final PriceTable prices;
    private final TokenCounter tokens;
    private final CompletionEventPublisher events;
    private final OrchestratorProperties properties;
    private final MeterRegistry meters;
    /** Resolved on first use and kept: looking the bean up on every request was 1 % of a cache hit (wave 12). */
    private final Supplier<Tracer> tracer;
    private final JsonMapper json;
    private final SchemaRepair schemaRepair;
    private final SemanticAnswerCache semanticCache;
    private final ConversationMemory memory;
    private final ModelSummariser summariser;
    private final QuestionEmbedder embedder;
    private final OutputGuard outputGuard;
    private final ExperimentAssigner experiments;
    /** Only to measure the old way side by side (README, Benchmark, "Wave 8"): the answer's stream through ChatClient. */
    private final boolean streamThroughChatClient;

    /** Carries the request's trace context to the bookkeeping after the answer, so its event stays in the trace. */
    private static final ContextSnapshotFactory CONTEXT = ContextSnapshotFactory.builder().build();

    /** Output checks wait for Kafka replies; they run here, never on a stream's own thread. */
    private static final Scheduler CHECKS = Schedulers.fromExecutor(
            java.util.concurrent.Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("output-check-", 0).factory()));

    ChatCompletionService(PromptPreparation preparation, ChatProviders providers, ResilientModelCalls modelCalls, ModelRouter router,
                          ExactAnswerCache cache, SemanticAnswerCache semanticCache, QuestionEmbedder embedder,
                          ConversationMemory memory,
                          TenantSpend spend, PriceTable prices, TokenCounter tokens,
                          CompletionEventPublisher events, OrchestratorProperties properties, MeterRegistry meters,
                          ObjectProvider<Tracer> tracer, JsonMapper json, OutputGuard outputGuard,
                          ExperimentAssigner experiments) {
        this.streamThroughChatClient = properties.benchmark().streamThroughChatClient();
        this.preparation = preparation;
        this.providers = providers;
        this.modelCalls = modelCalls;
        this.router = router;
        this.cache = cache;
        this.semanticCache = semanticCache;
        this.memory = memory;
        this.summariser = new ModelSummariser(providers, modelCalls, properties.memory());
        this.embedder = embedder;
        this.spend = spend;
        this.prices = prices;
        this.tokens = tokens;
        this.events = events;
        this.properties = properties;
        this.meters = meters;
        this.tracer = SingletonSupplier.of(tracer::getIfAvailable);
        this.json = json;
        this.outputGuard = outputGuard;
        this.experiments = experiments;
        try {
            this.schemaRepair = new SchemaRepair(new JsonSchemaCheck(json),
                    properties.prompt().repairTemplate().getContentAsString(StandardCharsets.UTF_8),
                    properties.prompt().structuredOutputRepairs(), providers, modelCalls, tokens, meters);

        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot read the structured-output repair template", ex);
        }
    }

    /**
     * What the client asked besides the body: headers the controller read.
     *
     * @param experimentOverride {@code X-Platform-Experiment-Arm}, only from a caller with scope {@code evaluation}
     */
    record Options(boolean cacheBypass, String conversationId, String experimentOverride) {
    }

    private void assignExperiment(RequestTrace trace, Caller caller, Options options) {
        try {
            this.experiments.assign(caller.tenantId(), caller.userId(), options.conversationId(), trace.requestId,
                    options.experimentOverride()).ifPresent(arm -> {
                        trace.experimentArm = arm.label();
                        if (arm.promptVersion() != null) {
                            trace.promptVersion = arm.promptVersion();
                        }
                        trace.experiment = new PlatformMetadata.Experiment(arm.experiment(), arm.arm(),
                                trace.promptVersion);
                    });
        }
        catch (ExperimentAssigner.UnknownArmException unknown) {
            throw new ChatCompletionException(ProblemType.INVALID_HEADER, unknown.getMessage(),
                    PlatformHttpHeaders.EXPERIMENT_ARM, null, unknown);
        }
    }

    Answer begin(ChatCompletionRequest request, Caller caller, Options options) {
        RequestTrace trace = trace(request, caller, options);
        try {
            return afterLookup(request, caller, options, trace, lookup(request, caller, options, trace), false);
        }
        catch (RuntimeException failure) {
            throw failed(trace, failure);
        }
    }

    /**
     * The same request as {@link #begin}, for the event loop: a request that can be a plain exact-cache hit (not
     * streamed, no conversation, no {@code no-cache}, a named model) is looked up without blocking, and a hit is answered right
     * there, with the same checks and key as {@link #begin}, the same headers, and its completion event. Anything
     * else, a miss included, continues on {@code blocking} (a virtual thread) exactly as {@link #begin}, without a
     * second cache read. README, Benchmark, "Wave 8", says what a hit on this path no longer pays for.
     */
    Mono<Answer> answer(ChatCompletionRequest request, Caller caller, Options options, Scheduler blocking) {
        if (!this.cache.answersHitsReactively() || options.cacheBypass() || options.conversationId() != null
                || this.router.isRouteName(request.model()) || request.streaming()) {
            // "auto" routing may read the tenant's spend from Redis, a conversation is loaded from it: blocking work.
            // A streamed hit keeps the virtual-thread path too: replayed from the event loop, one ended through the
            // gateway without its [DONE] in the whole-platform test (CI, 2026-12-07), not yet understood.
            return Mono.fromCallable(() -> begin(request, caller, options)).subscribeOn(blocking);
        }
        RequestTrace trace = trace(request, caller, options);
        Lookup lookup;
        try {
            lookup = lookup(request, caller, options, trace);
        }
        catch (RuntimeException failure) {
            return Mono.error(failed(trace, failure));
        }
        long start = System.nanoTime();
        return this.cache.find(lookup.cacheKey())
                .map(hit -> {
                    trace.stageTook(Stage.CACHE, System.nanoTime() - start);
                    try {
                        return fromCache(request, trace, lookup.route(), hit, "hit");
                    }
                    catch (RuntimeException failure) {
                        throw failed(trace, failure);
                    }
                })
                .switchIfEmpty(Mono.defer(() -> {
                    trace.stageTook(Stage.CACHE, System.nanoTime() - start);
                    return Mono.fromCallable(() -> {
                        try {
                            return afterLookup(request, caller, options, trace, lookup, true);
                        }
                        catch (RuntimeException failure) {
                            throw failed(trace, failure);
                        }
                    }).subscribeOn(blocking);
                }));
    }

    private RequestTrace trace(ChatCompletionRequest request, Caller caller, Options options) {
        RequestTrace trace = new RequestTrace(caller.tenantId(), request.model(), request.streaming());
        trace.token = caller.token();
        trace.userId = caller.userId();
        trace.conversationId = options.conversationId();
        trace.promptVersion = this.properties.prompt().version();
        trace.retrievalSettings = Map.of("topK", Integer.toString(this.properties.retrieval().topK()),
                "vectorStoreIds", String.join(",", request.vectorStoreIds()));
        return trace;
    }

    private ChatCompletionException failed(RequestTrace trace, RuntimeException failure) {
        if (failure instanceof ChatCompletionException known && trace.finished) {
            return known;
        }
        return fail(trace, failure);
    }

    /**
     * Step 1 and the exact cache's key: which model, which fallbacks, and the key (null when the request bypasses
     * the cache or belongs to a conversation). Blocks only for a routed name ({@code auto}: the tenant's spend).
     */
    private record Lookup(RouteDecision route, List<ResolvedModel> chain, String cacheKey) {
    }

    private Lookup lookup(ChatCompletionRequest request, Caller caller, Options options, RequestTrace trace) {
        // 1. Which model: the caller's token says which it may use; "auto" asks the router.
        request.validate();
        // 1a. Which arm of the prompt experiment, if one runs (the prompt version is part of every cache key).
        assignExperiment(trace, caller, options);
        RouteDecision route = trace.time(Stage.ROUTE, () -> route(request, caller));
        trace.routeRule = route.rule();
        tagSpan(route);
        List<ResolvedModel> chain = chain(route.model(), caller);
        // 2. The exact cache's key: the same tenant asked exactly this before (never within a conversation).
        String cacheKey = options.conversationId() == null && this.cache.enabled() && !options.cacheBypass()
                ? ExactAnswerCache.sha256(caller.tenantId() + "\n" + String.join(",", caller.groups()) + "\n"
                + route.model() + "\n" + trace.promptVersion + "\n" + request.cacheMaterial(this.json)) : null;
        trace.cache = cacheKey == null ? "bypass" : "miss";
        return new Lookup(route, chain, cacheKey);
    }

    /** Steps 1b and 2 on: memory, the caches (the exact one not read again when {@code exactMissed}), then compute. */
    private Answer afterLookup(ChatCompletionRequest request, Caller caller, Options options, RequestTrace trace,
                               Lookup lookup, boolean exactMissed) {
        RouteDecision route = lookup.route();
        String cacheKey = lookup.cacheKey();
        // 1b. Conversation memory: a conversation the caller started; its answers never enter the caches.
        ConversationMemory.Remembered remembered = options.conversationId() == null ? null
                : trace.time(Stage.MEMORY, () -> remembered(caller, options.conversationId()));
        ExactAnswerCache.Flight flight = null;
        SemanticProbe semantic = null;
        if (cacheKey != null) {
            Optional<StoredAnswer> hit = exactMissed ? Optional.empty()
                    : trace.time(Stage.CACHE, () -> this.cache.get(cacheKey));
            trace.note(Stage.CACHE, "miss", null);
            if (hit.isEmpty() && this.semanticCache.enabled()) {
                // 2b. The semantic cache: the same tenant asked something that means the same.
                semantic = trace.time(Stage.SEMANTIC_CACHE, () -> probe(request, caller, route, trace));
                trace.note(Stage.SEMANTIC_CACHE, semantic == null ? "not eligible"
                        : semantic.hit() != null ? "hit" : "miss", null);
                if (semantic != null && semantic.hit() != null) {
                    return fromCache(request, trace, route, semantic.hit(), "semantic-hit");
                }
            }
            if (hit.isEmpty()) {
                ExactAnswerCache.Flight joined = this.cache.join(cacheKey);
                if (joined.leader()) {
                    flight = joined;
                }
                else {
                    // Another request computes this key right now: wait for its answer instead of a second call.
                    hit = trace.time(Stage.CACHE, () -> this.cache.waitFor(joined.result(), remaining(caller)));
                }
            }
            if (hit.isPresent()) {
                return fromCache(request, trace, route, hit.get(), "hit");
            }
        }
        return compute(request, caller, trace, route, lookup.chain(), cacheKey, flight, semantic, remembered,
                options.conversationId());
    }

    /** Steps 3 to 8. */
    private Answer compute(ChatCompletionRequest request, Caller caller, RequestTrace trace, RouteDecision route,
                           List<ResolvedModel> chain, String cacheKey, ExactAnswerCache.Flight flight,
                           SemanticProbe semantic, ConversationMemory.Remembered remembered, String conversationId) {
        CompletableFuture<Optional<StoredAnswer>> stored = new CompletableFuture<>();
        PromptPreparation.Prepared prepared;
        try {
            prepared = this.preparation.prepare(request, caller, trace, chain.getFirst(), remembered, conversationId,
                    semantic == null ? null : new TextEmbedding(TextEmbedding.MINILM_L6_V2_Q, semantic.question(),
                            semantic.vector()));
        }
        catch (RuntimeException failure) {
            if (flight != null) {
                this.cache.abandon(flight);
            }
            throw failure;
        }
        if (!(prepared.decision() instanceof AnswerKindRules.Answer)) {
            // 5b. A clarifying question or an honest "I don't know": no model call, nothing cached.
            if (flight != null) {
                this.cache.abandon(flight);
            }
            return withoutModel(request, trace, route, prepared.decision());
        }
        GroundedPrompt prompt = prepared.prompt();
        AnswerEvents writer = new AnswerEvents(trace.requestId, trace.created, request.model(), this.json);
        // 7b. Guardrails see the answer before the user does: whole, or window by window while it streams.
        // Each attempt of the model gets its own accumulator and output check (a broken attempt leaves nothing).
        java.util.function.IntFunction<StreamedPieces.AttemptState> freshState = attempt -> new StreamedPieces.AttemptState(
                new AnswerAccumulator(prompt, this.tokens), this.outputGuard.settings().enabled()
                ? new AnswerOutputCheck((text, offset) -> this.outputGuard.checkAnswer(caller, prepared.answerContext(),
                text, offset), this.outputGuard.settings().windowChars(), this.outputGuard.settings().lookBehindChars())
                : null);
        StreamAttempts<StreamedPieces.AttemptState> attempts = new StreamAttempts<>(freshState);
        AtomicBoolean emitted = new AtomicBoolean(false);
        ModelRequest.ResponseFormat format = trace.modelRequest.responseFormat();
        String schema = format != null && format.jsonSchema() ? format.schema() : null;
        // A whole answer is assembled before anything is sent; so is a streamed one that must hold a JSON schema:
        // it is held back until it validates (or the repairs run out), so no invalid JSON ever reaches a parser.
        boolean holdWhole = !request.streaming() || schema != null;
        long modelStart = System.nanoTime();
        Flux<StreamAttempts.Piece> answer = this.modelCalls.stream(chain, model -> {
                    trace.servedModel = model.name();
                    int attempt = attempts.start();
                    Flux<ChatResponse> chunks = this.streamThroughChatClient
                            ? model.provider().prompt(model.modelId(), prompt.messages(), trace.modelRequest, true)
                                    .stream().chatResponse()
                            : holdWhole ? model.provider().whole(model.modelId(), prompt.messages(), trace.modelRequest)
                            : model.provider().stream(model.modelId(), prompt.messages(), trace.modelRequest);
                    return chunks.map(response -> new StreamAttempts.Piece(attempt, response));
                }, holdWhole, deadline(caller), attempts::giveUpUnlessCommitted,
                (model, outcome) -> trace.attempts.add(model.name() + ":" + outcome));
        Map<String, String> headers = Map.of(
                PlatformHttpHeaders.ROUTE, route.header(),
                PlatformHttpHeaders.CACHE, trace.cache);

        // What every successful answer ends with: usage, cost, caches, memory (the cost reaches the tenant's spend in
        // finish). `done` is the model's answer, `shown` what the user got after the output checks (masked or restored,
        // or the block notice).
        SettleAnswer settle = (done, shown, output) -> {
            trace.stageTook(Stage.MODEL, System.nanoTime() - modelStart - (output == null ? 0 : output.nanos()));
            trace.tokens(done.promptTokens() + trace.repairPromptTokens,
                    done.completionTokens() + trace.repairCompletionTokens);
            trace.finishReason(shown.finishReason());
            trace.costUsd = this.prices.costUsd(trace.servedModel, done.promptTokens() + trace.repairPromptTokens,
                    done.completionTokens() + trace.repairCompletionTokens);
            trace.note(Stage.MODEL, done.finishReason(), trace.servedModel, trace.costUsd);
            if (output != null) {
                trace.stageTook(Stage.OUTPUT_CHECKS, output.nanos());
                trace.outputCheck = AnswerTraces.output(output);
                trace.note(Stage.OUTPUT_CHECKS, trace.outputCheck.decision(), output.checks() + " checks");
            }
            boolean blocked = output != null && output.blocked();
            // an answer that never held its schema is returned (whole) or refused (stream), never served again
            boolean holdsShape = trace.structuredOutput == null || trace.structuredOutput.valid();
            if (flight != null) {
                boolean cacheable = !blocked && holdsShape
                        && ("stop".equals(shown.finishReason()) || "tool_calls".equals(shown.finishReason()));
                this.cache.complete(flight, shown, trace.tenantId, cacheable);
            }
            else if (cacheKey != null && !blocked && holdsShape && "stop".equals(shown.finishReason())) {
                this.cache.put(cacheKey, shown, trace.tenantId);
            }
            if (remembered != null && done.toolCalls().isEmpty() && !blocked) {
                // the model's own words: pseudonyms stay pseudonyms in what the next prompt sees
                remember(caller, conversationId, trace.question, done.answer());
            }
            if (semantic != null && !blocked && holdsShape && "stop".equals(shown.finishReason())) {
                this.semanticCache.store(semantic.scope(), trace.tenantId, semantic.question(), semantic.vector(), shown);
            }
            stored.complete(Optional.of(shown));
        };
        Runnable onFailure = () -> {
            if (flight != null) {
                this.cache.abandon(flight);
            }
            stored.complete(Optional.empty());
        };

        // A whole answer is never committed before it is complete: retries and fallbacks stay possible throughout,
        // and a partial attempt is discarded by collecting each attempt on its own. Held to its schema, if any.
        java.util.function.Supplier<StoredAnswer> whole = () -> {
            List<StreamAttempts.Piece> pieces = answer.collectList().block();
            StreamedPieces.AttemptState state = attempts.last();
            AtomicReference<AnswerAccumulator> current = new AtomicReference<>(state.answer());
            pieces.forEach(piece -> current.get().accept(piece.response()));
            if (!request.streaming()) {
                trace.firstToken();
            }
            if (schema != null) {
                trace.structuredOutput = this.schemaRepair.hold(schema, trace.modelRequest, deadline(caller),
                        trace, prompt, current);
            }
            StoredAnswer done = current.get().finish(trace.requestId, trace.servedModel);
            StoredAnswer shown = shownWhole(done, state.output(), trace);
            settle.accept(done, shown, state.output());
            return shown;
        };

        if (!request.streaming()) {
            try {
                StoredAnswer shown = whole.get();
                String serverTiming = trace.serverTiming();
                finish(trace, outcome(shown, trace));
                Map<String, String> withTiming = new LinkedHashMap<>(headers);
                withTiming.put(PlatformHttpHeaders.SERVER_TIMING, serverTiming);
                return new Answer(ChatCompletionResponse.of(trace.requestId, trace.created, request.model(), shown,
                        AnswerTraces.metadata(trace, route, prompt, shown.citations())), null, withTiming, stored);
            }
            catch (RuntimeException failure) {
                onFailure.run();
                throw fail(trace, failure);
            }
        }

        if (schema != null) {
            return new Answer(null, heldStream(request, trace, route, prompt, writer, whole, stored, onFailure),
                    headers, stored);
        }

        StreamedPieces pieces = new StreamedPieces(attempts, writer, () -> {
            emitted.set(true);
            trace.firstToken();
        });
        // output checks wait for Kafka replies: a chunk whose check asks guardrails runs on a virtual thread
        Flux<ServerSentEvent<String>> events = pieces.events(answer, CHECKS)
                .takeUntil(ignored -> attempts.last().blocked())
                .concatMapIterable(list -> list)
                .concatWith(Mono.fromCallable(() -> {
                    StreamedPieces.AttemptState state = attempts.last();
                    AnswerOutputCheck output = state.output();
                    List<ServerSentEvent<String>> closing = new ArrayList<>(
                            pieces.tail(output == null || output.blocked() ? "" : output.finish()));
                    StoredAnswer done = state.answer().finish(trace.requestId, trace.servedModel);
                    StoredAnswer shown = output == null ? done : output.blocked() ? blocked(done, output, trace)
                            : withText(done, pieces.shownText());
                    settle.accept(done, shown, output);
                    closing.addAll(writer.closing(shown, request.includeUsage(),
                            AnswerTraces.metadata(trace, route, prompt, shown.citations())));
                    return closing;
                }).subscribeOn(CHECKS).flatMapIterable(list -> list))
                .doOnComplete(() -> finish(trace, outcome(stored.join().orElse(null), trace)))
                .onErrorResume(failure -> {
                    onFailure.run();
                    ChatCompletionException problem = fail(trace, failure);
                    // Nothing sent yet: the status is not committed, so the client still gets problem+json.
                    if (!emitted.get()) {
                        return Flux.error(problem);
                    }
                    // Once text went out the status is 200: the failure travels as an error event, which carries
                    // the trace of the partial answer (ADR 0005: answerKind partial; the text so far stands).
                    trace.answerKind = PlatformMetadata.PARTIAL;
                    List<Citation> citations = CitationExtractor.extract(pieces.shownText(), prompt.passages());
                    return Flux.just(writer.error(problem, citations,
                            AnswerTraces.metadata(trace, route, prompt, citations)));
                })
                .doOnCancel(() -> {
                    onFailure.run();
                    finish(trace, Outcome.FAILED);
                });
        return new Answer(null, events, headers, stored);
    }

    /**
     * A streamed answer that must hold a JSON schema: nothing of it is sent until the whole answer validated (asked
     * again with the errors, within the same bounded repairs as a whole answer), then it is streamed with the attempts
     * in the finish chunk's {@code platform.structuredOutput}. An answer that never held ends in an explicit error
     * event instead: no invalid JSON reaches the client's parser. The price is the time to first token: it is the
     * time of the whole answer (README, "Structured output").
     */
    private Flux<ServerSentEvent<String>> heldStream(ChatCompletionRequest request, RequestTrace trace,
                                                     RouteDecision route, GroundedPrompt prompt, AnswerEvents writer,
                                                     java.util.function.Supplier<StoredAnswer> whole,
                                                     CompletableFuture<Optional<StoredAnswer>> stored,
                                                     Runnable onFailure) {
        AtomicBoolean valid = new AtomicBoolean(true);
        return Mono.fromCallable(whole::get).subscribeOn(CHECKS)
                .flatMapIterable(shown -> {
                    trace.firstToken();
                    PlatformMetadata metadata = AnswerTraces.metadata(trace, route, prompt, shown.citations());
                    PlatformMetadata.StructuredOutput shape = trace.structuredOutput;
                    if (shape != null && !shape.valid() && !PlatformMetadata.BLOCKED.equals(trace.answerKind)) {
                        valid.set(false);
                        ChatCompletionException problem = new ChatCompletionException(ProblemType.MODEL_FAILED,
                                "The model's answer did not match the requested JSON schema after " + shape.attempts()
                                        + " attempts: " + String.join("; ", shape.errors()), null, null, null)
                                .forRequest(trace.requestId);
                        return List.of(writer.error(problem, List.of(), metadata));
                    }
                    return writer.replay(shown, request.includeUsage(), metadata);
                })
                .doOnComplete(() -> finish(trace, valid.get() ? outcome(stored.join().orElse(null), trace)
                        : Outcome.FAILED))
                .onErrorResume(failure -> {
                    onFailure.run();
                    return Flux.error(fail(trace, failure));   // nothing was sent: a problem+json answer
                })
                .doOnCancel(() -> {
                    onFailure.run();
                    finish(trace, Outcome.FAILED);
                });
    }

    /** Usage, cost, caches and memory of a finished answer; {@code output} is the answering attempt's check. */
    @FunctionalInterface
    private interface SettleAnswer {
        void accept(StoredAnswer done, StoredAnswer shown, AnswerOutputCheck output);
    }

    /** A non-streamed answer after the output check: as the user may see it, or the block notice. */
    private static StoredAnswer shownWhole(StoredAnswer done, AnswerOutputCheck output, RequestTrace trace) {
        if (output == null || done.answer().isEmpty()) {
            return done;
        }
        String released = output.whole(done.answer());
        return released == null ? blocked(done, output, trace) : withText(done, released);
    }

    /** What the user gets when the output check stopped the answer: the reason, {@code content_filter}. */
    private static StoredAnswer blocked(StoredAnswer done, AnswerOutputCheck output, RequestTrace trace) {
        trace.answerKind = PlatformMetadata.BLOCKED;
        String reason = output.blockedBy().reason() != null ? output.blockedBy().reason()
                : "The answer was stopped by the platform's guardrails.";
        return new StoredAnswer(done.requestId(), reason, List.of(), "content_filter", done.promptTokens(),
                done.completionTokens(), List.of(), done.servedModel(), done.documents(), done.chunkIds());
    }

    private static StoredAnswer withText(StoredAnswer done, String text) {
        return text.equals(done.answer()) ? done : new StoredAnswer(done.requestId(), text, done.toolCalls(),
                done.finishReason(), done.promptTokens(), done.completionTokens(), done.citations(),
                done.servedModel(), done.documents(), done.chunkIds());
    }

    /** A clarifying question or an abstention, decided before any model call: free, and said plainly. */
    private Answer withoutModel(ChatCompletionRequest request, RequestTrace trace, RouteDecision route,
                                AnswerKindRules.Decision decision) {
        String text = switch (decision) {
            case AnswerKindRules.Clarify clarify -> {
                trace.answerKind = PlatformMetadata.CLARIFYING_QUESTION;
                trace.clarification = new PlatformMetadata.Clarification(clarify.question(), clarify.options());
                yield clarify.question();
            }
            case AnswerKindRules.Abstain abstain -> {
                trace.answerKind = PlatformMetadata.ABSTAINED;
                yield abstain.message();
            }
            case AnswerKindRules.Answer ignored -> throw new IllegalStateException("an answer needs the model");
        };
        trace.costUsd = 0.0;
        trace.firstToken();
        trace.finishReason("stop");
        StoredAnswer answer = new StoredAnswer(trace.requestId, text, List.of(), "stop", 0, 0, List.of(), null,
                List.of(), List.of());
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(PlatformHttpHeaders.ROUTE, route.header());
        headers.put(PlatformHttpHeaders.CACHE, trace.cache);
        headers.put(PlatformHttpHeaders.SERVER_TIMING, trace.serverTiming());
        PlatformMetadata metadata = AnswerTraces.metadata(trace, route, null, List.of());
        finish(trace, Outcome.NO_ANSWER);
        return Answer.of(answer, request, trace.requestId, trace.created, metadata, headers, this.json);
    }

    /** A cached answer, whole or replayed as a stream; no guardrails, retrieval or model call. */
    private Answer fromCache(ChatCompletionRequest request, RequestTrace trace, RouteDecision route, StoredAnswer hit,
                             String kind) {
        trace.cache = kind;
        trace.servedModel = hit.servedModel();
        trace.costUsd = 0.0;
        trace.firstToken();
        trace.finishReason(hit.finishReason());
        if ("hit".equals(kind)) {
            trace.note(Stage.CACHE, "hit", null);
        }
        PlatformMetadata metadata = AnswerTraces.metadata(trace, route, null, hit.citations());
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(PlatformHttpHeaders.ROUTE, route.header());
        headers.put(PlatformHttpHeaders.CACHE, kind);
        headers.put(PlatformHttpHeaders.SERVER_TIMING, trace.serverTiming());
        finish(trace, outcome(hit, trace));
        // handed to the idempotency store under this request's id, so a replay repeats this response exactly
        return Answer.of(hit.servedAs(trace.requestId), request, trace.requestId, trace.created, metadata, headers,
                this.json);
    }

    /**
     * The semantic cache's view of a request: its scope, question and vector (computed once, reused to store the
     * answer), and the hit when there is one. Null when the request is not eligible.
     */
    private record SemanticProbe(String scope, String question, float[] vector, StoredAnswer hit) {
    }

    private SemanticProbe probe(ChatCompletionRequest request, Caller caller, RouteDecision route, RequestTrace trace) {
        Optional<String> question = request.semanticQuestion();
        if (question.isEmpty()) {
            return null;
        }
        String scope = SemanticAnswerCache.scope(caller.tenantId(), caller.groups(), route.model(), trace.promptVersion,
                request.vectorStoreIds(), request.clientSystemText());
        float[] vector = this.embedder.embed(question.get());
        Optional<SemanticAnswerCache.Hit> hit = this.semanticCache.lookup(scope, question.get(), vector);
        hit.ifPresent(h -> log.info("Request {}: semantic hit, similarity {} with a cached question", trace.requestId,
                String.format(Locale.ROOT, "%.3f", h.similarity())));
        return new SemanticProbe(scope, question.get(), vector, hit.map(SemanticAnswerCache.Hit::answer).orElse(null));
    }

    /** A stored answer for an idempotent repeat: the first request's id and answer, marked as a replay. */
    Answer replay(ChatCompletionRequest request, StoredAnswer first) {
        return Answer.of(first, request, first.requestId(), Instant.now().getEpochSecond(),
                new PlatformMetadata(null, null, null, null, null, true), Map.of("Idempotent-Replayed", "true"),
                this.json);
    }

    private RouteDecision route(ChatCompletionRequest request, Caller caller) {
        String requested = request.model();
        if (this.router.isRouteName(requested)) {
            String small = this.router.settings().smallModel();
            String large = this.router.settings().largeModel();
            if (!caller.mayUse(requested) && !caller.mayUse(small) && !caller.mayUse(large)) {
                throw ChatCompletionException.modelNotAllowed(requested);
            }
            OrchestratorProperties.Tenant tenant = this.properties.tenants().get(caller.tenantId());
            double budgetUsed = tenant == null || tenant.monthlyBudgetUsd() <= 0 ? 0
                    : this.spend.thisMonthUsd(caller.tenantId()) / tenant.monthlyBudgetUsd();
            int smallWindow = this.providers.serves(small) ? this.providers.resolve(small).contextWindow() : 16384;
            return this.router.decide(new RoutingInput(requested, request.lastUserText(),
                    this.tokens.count(request.allText()), smallWindow, request.usesTools(), request.wantsJson(),
                    tenant == null ? null : tenant.tier(), budgetUsed, caller::mayUse));
        }
        if (!this.providers.serves(requested)) {
            this.providers.resolve(requested);   // throws model_not_found
        }
        if (!caller.mayUse(requested)) {
            throw ChatCompletionException.modelNotAllowed(requested);
        }
        return this.router.decide(new RoutingInput(requested, null, 0, 0, false, false, null, 0, caller::mayUse));
    }

    /** The chosen model, then the tenant's fallbacks for it that exist and that the caller may use. */
    private List<ResolvedModel> chain(String model, Caller caller) {
        Set<String> names = new LinkedHashSet<>();
        names.add(model);
        for (String fallback : this.properties.fallbacksFor(caller.tenantId(), model)) {
            if (this.providers.serves(fallback) && caller.mayUse(fallback)) {
                names.add(fallback);
            }
        }
        return names.stream().map(this.providers::resolve).toList();
    }


    private ConversationMemory.Remembered remembered(Caller caller, String conversationId) {
        try {
            return this.memory.load(caller.tenantId(), caller.userId(), conversationId);
        }
        catch (ConversationMemory.NotYours notYours) {
            throw new ChatCompletionException(ProblemType.NOT_FOUND, "No such conversation.",
                    PlatformHttpHeaders.CONVERSATION_ID, null, notYours);
        }
    }

    /** Stores the exchange now; folds old turns into a model-written summary on a virtual thread. */
    private void remember(Caller caller, String conversationId, String question, String answer) {
        try {
            this.memory.append(caller.tenantId(), conversationId, question, answer);
            Thread.ofVirtual().name("memory-summary").start(() -> {
                try {
                    this.memory.compact(caller.tenantId(), conversationId, this.summariser);
                }
                catch (RuntimeException failure) {
                    log.warn("Conversation {} not compacted: {}", conversationId, failure.getMessage());
                }
            });
        }
        catch (RuntimeException failure) {
            log.warn("Conversation {} not remembered: {}", conversationId, failure.getMessage());
        }
    }

    private void tagSpan(RouteDecision route) {
        Tracer current = this.tracer.get();
        if (current != null && current.currentSpan() != null) {
            current.currentSpan().tag("platform.route.model", route.model());
            current.currentSpan().tag("platform.route.rule", route.rule());
        }
    }

    private Instant deadline(Caller caller) {
        Instant cap = Instant.now().plus(this.properties.resilience().totalTimeout());
        return caller.deadline() != null && caller.deadline().isBefore(cap) ? caller.deadline() : cap;
    }

    private Duration remaining(Caller caller) {
        Duration left = Duration.between(Instant.now(), deadline(caller));
        return left.isNegative() ? Duration.ZERO : left;
    }

    /**
     * A turn where the model calls the client's tools is {@code ANSWERED}: the model did what was asked, and
     * the grounded answer comes in the client's next request, which is recorded on its own. An answer the output
     * checks stopped is {@code REFUSED_BY_GUARDRAILS}.
     */
    static Outcome outcome(StoredAnswer answer, RequestTrace trace) {
        if (answer == null) {
            return Outcome.FAILED;
        }
        if (PlatformMetadata.BLOCKED.equals(trace.answerKind)) {
            return Outcome.REFUSED_BY_GUARDRAILS;
        }
        return !answer.toolCalls().isEmpty() ? Outcome.ANSWERED : GroundingCheck.outcomeOf(answer.citations());
    }

    /**
     * Step 8, for every request that reached the service: stage timers, the answer's cost added to the tenant's spend,
     * and the completion event. The client waits for none of it but the timers: the spend (a Redis round trip) and the
     * event (serialised and handed to the producer, which can block up to {@code max.block.ms} while the broker is
     * unreachable) go to a virtual thread of their own, with the request's trace context, so the answer is written
     * while they run (README, "Wave 13"). The event and its latency are taken here, when the answer is ready.
     */
    private void finish(RequestTrace trace, Outcome outcome) {
        if (trace.finished) {
            return;
        }
        trace.finished = true;
        trace.stageNanos().forEach((stage, nanos) -> this.meters
                .timer("orchestrator.stage", "stage", stage.metricName)
                .record(nanos, TimeUnit.NANOSECONDS));
        ChatCompletionRecordedEvent event = trace.toEvent(outcome);
        Double costUsd = trace.costUsd;
        String token = trace.token;
        Runnable bookkeeping = CONTEXT.captureAll().wrap(() -> {
            if (costUsd != null) {
                this.spend.add(event.tenantId(), costUsd);
            }
            this.events.publish(event, token);
        });
        Thread.ofVirtual().name("after-answer").start(bookkeeping);
        log.info("Request {} (tenant {}) finished: {} in {} ms (cache {}, served by {}, attempts {})", trace.requestId,
                trace.tenantId, outcome, event.latencyMillis(), trace.cache, trace.servedModel, trace.attempts);
    }

    private ChatCompletionException fail(RequestTrace trace, Throwable failure) {
        ChatCompletionException problem = ChatCompletionException.from(failure).forRequest(trace.requestId);
        if (problem.type() == ProblemType.INTERNAL_ERROR) {
            log.error("Request {} failed unexpectedly", trace.requestId, failure);
        }
        else {
            log.warn("Request {} failed: {} ({})", trace.requestId, problem.type().code(), problem.getMessage());
        }
        finish(trace, problem.outcome());
        return problem;
    }
}
