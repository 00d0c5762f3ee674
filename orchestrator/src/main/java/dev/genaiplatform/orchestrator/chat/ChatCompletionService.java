package dev.genaiplatform.orchestrator.chat;

import dev.genaiplatform.contracts.chat.ChatCompletionRecordedEvent.Outcome;
import dev.genaiplatform.contracts.guardrails.ChatMessage;
import dev.genaiplatform.contracts.http.PlatformHttpHeaders;
import dev.genaiplatform.contracts.guardrails.CheckInputCommand;
import dev.genaiplatform.contracts.guardrails.InputCheckedReply;
import dev.genaiplatform.orchestrator.answer.AnswerKindRules;
import dev.genaiplatform.orchestrator.answer.ContentTerms;
import dev.genaiplatform.orchestrator.citation.Citation;
import dev.genaiplatform.orchestrator.citation.CitationExtractor;
import dev.genaiplatform.orchestrator.experiment.ExperimentAssigner;
import dev.genaiplatform.orchestrator.guardrails.OutputGuard;
import dev.genaiplatform.orchestrator.prompt.PromptPreambles;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import dev.genaiplatform.contracts.retrieval.RetrievedChunk;
import dev.genaiplatform.contracts.problem.ProblemType;
import dev.genaiplatform.orchestrator.OrchestratorProperties;
import dev.genaiplatform.orchestrator.budget.PriceTable;
import dev.genaiplatform.orchestrator.budget.TenantSpend;
import dev.genaiplatform.orchestrator.cache.ExactAnswerCache;
import dev.genaiplatform.orchestrator.cache.StoredAnswer;
import dev.genaiplatform.orchestrator.chat.RequestTrace.Stage;
import dev.genaiplatform.orchestrator.citation.GroundingCheck;
import dev.genaiplatform.orchestrator.events.CompletionEventPublisher;
import dev.genaiplatform.orchestrator.guardrails.GuardrailsClient;
import dev.genaiplatform.orchestrator.memory.ConversationMemory;
import dev.genaiplatform.orchestrator.memory.ModelSummariser;
import dev.genaiplatform.orchestrator.messaging.DependencyUnavailableException;
import dev.genaiplatform.orchestrator.prompt.GroundedPrompt;
import dev.genaiplatform.orchestrator.prompt.GroundedPromptBuilder;
import dev.genaiplatform.orchestrator.prompt.TokenCounter;
import dev.genaiplatform.orchestrator.prompt.Turn;
import dev.genaiplatform.orchestrator.provider.ChatProviders;
import dev.genaiplatform.orchestrator.provider.ChatProviders.ResolvedModel;
import dev.genaiplatform.orchestrator.resilience.ResilientModelCalls;
import dev.genaiplatform.orchestrator.retrieval.RetrievalClient;
import dev.genaiplatform.orchestrator.routing.ModelRouter;
import dev.genaiplatform.orchestrator.routing.ModelRouter.RoutingInput;
import dev.genaiplatform.orchestrator.routing.RouteDecision;
import dev.genaiplatform.orchestrator.provider.ModelRequest;
import dev.genaiplatform.orchestrator.security.Caller;
import dev.genaiplatform.orchestrator.semantic.QuestionEmbedder;
import dev.genaiplatform.orchestrator.semantic.SemanticAnswerCache;
import dev.genaiplatform.orchestrator.structured.JsonSchemaCheck;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.tracing.Tracer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.beans.factory.ObjectProvider;
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
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
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
 * always asked to stream, and one {@link AnswerAccumulator} builds both the streamed and the whole answer.
 *
 * <p>The code blocks while it waits for Kafka replies: it runs on a virtual thread (see
 * {@code OrchestratorConfiguration}), where waiting is cheap and the code reads in the order things happen.
 */
@Service
class ChatCompletionService {

    private static final Logger log = LoggerFactory.getLogger(ChatCompletionService.class);

    private final GuardrailsClient guardrails;
    private final RetrievalClient retrieval;
    private final GroundedPromptBuilder promptBuilder;
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
    private final ObjectProvider<Tracer> tracer;
    private final JsonMapper json;
    private final SchemaRepair schemaRepair;
    private final SemanticAnswerCache semanticCache;
    private final ConversationMemory memory;
    private final ModelSummariser summariser;
    private final QuestionEmbedder embedder;
    private final OutputGuard outputGuard;
    private final AnswerKindRules answerKinds;
    private final ExperimentAssigner experiments;
    private final PromptPreambles preambles;

    /** Output checks wait for Kafka replies; they run here, never on a stream's own thread. */
    private static final Scheduler CHECKS = Schedulers.fromExecutor(
            java.util.concurrent.Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("output-check-", 0).factory()));

    ChatCompletionService(GuardrailsClient guardrails, RetrievalClient retrieval, GroundedPromptBuilder promptBuilder,
                          ChatProviders providers, ResilientModelCalls modelCalls, ModelRouter router,
                          ExactAnswerCache cache, SemanticAnswerCache semanticCache, QuestionEmbedder embedder,
                          ConversationMemory memory,
                          TenantSpend spend, PriceTable prices, TokenCounter tokens,
                          CompletionEventPublisher events, OrchestratorProperties properties, MeterRegistry meters,
                          ObjectProvider<Tracer> tracer, JsonMapper json, OutputGuard outputGuard,
                          AnswerKindRules answerKinds, ExperimentAssigner experiments, PromptPreambles preambles) {
        this.guardrails = guardrails;
        this.retrieval = retrieval;
        this.promptBuilder = promptBuilder;
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
        this.tracer = tracer;
        this.json = json;
        this.outputGuard = outputGuard;
        this.answerKinds = answerKinds;
        this.experiments = experiments;
        this.preambles = preambles;
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
        RequestTrace trace = new RequestTrace(caller.tenantId(), request.model(), request.streaming());
        trace.token = caller.token();
        trace.userId = caller.userId();
        trace.conversationId = options.conversationId();
        trace.promptVersion = this.properties.prompt().version();
        trace.retrievalSettings = Map.of("topK", Integer.toString(this.properties.retrieval().topK()),
                "vectorStoreIds", String.join(",", request.vectorStoreIds()));
        try {
            // 1. Which model: the caller's token says which it may use; "auto" asks the router.
            request.validate();
            // 1a. Which arm of the prompt experiment, if one runs (the prompt version is part of every cache key).
            assignExperiment(trace, caller, options);
            RouteDecision route = trace.time(Stage.ROUTE, () -> route(request, caller));
            trace.routeRule = route.rule();
            tagSpan(route);
            List<ResolvedModel> chain = chain(route.model(), caller);

            // 1b. Conversation memory: a conversation the caller started; its answers never enter the caches.
            ConversationMemory.Remembered remembered = options.conversationId() == null ? null
                    : trace.time(Stage.MEMORY, () -> remembered(caller, options.conversationId()));

            // 2. The exact cache: the same tenant asked exactly this before.
            String cacheKey = remembered == null && this.cache.enabled() && !options.cacheBypass()
                    ? ExactAnswerCache.sha256(caller.tenantId() + "\n" + String.join(",", caller.groups()) + "\n"
                    + route.model() + "\n" + trace.promptVersion + "\n" + request.cacheMaterial(this.json)) : null;
            trace.cache = cacheKey == null ? "bypass" : "miss";
            ExactAnswerCache.Flight flight = null;
            SemanticProbe semantic = null;
            if (cacheKey != null) {
                Optional<StoredAnswer> hit = trace.time(Stage.CACHE, () -> this.cache.get(cacheKey));
                if (hit.isEmpty() && this.semanticCache.enabled()) {
                    // 2b. The semantic cache: the same tenant asked something that means the same.
                    semantic = trace.time(Stage.SEMANTIC_CACHE, () -> probe(request, caller, route, trace));
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
            return compute(request, caller, trace, route, chain, cacheKey, flight, semantic, remembered,
                    options.conversationId());
        }
        catch (RuntimeException failure) {
            if (failure instanceof ChatCompletionException known && trace.finished) {
                throw known;
            }
            throw fail(trace, failure);
        }
    }

    /** Steps 3 to 8. */
    private Answer compute(ChatCompletionRequest request, Caller caller, RequestTrace trace, RouteDecision route,
                           List<ResolvedModel> chain, String cacheKey, ExactAnswerCache.Flight flight,
                           SemanticProbe semantic, ConversationMemory.Remembered remembered, String conversationId) {
        CompletableFuture<Optional<StoredAnswer>> stored = new CompletableFuture<>();
        Prepared prepared;
        try {
            prepared = prepare(request, caller, trace, chain.getFirst(), remembered, conversationId);
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
        AtomicReference<AnswerAccumulator> current =
                new AtomicReference<>(new AnswerAccumulator(prompt, this.tokens));
        AnswerEvents writer = new AnswerEvents(trace.requestId, trace.created, request.model(), this.json);
        // 7b. Guardrails see the answer before the user does: whole, or window by window while it streams.
        AnswerOutputCheck output = this.outputGuard.settings().enabled()
                ? new AnswerOutputCheck((text, offset) -> this.outputGuard.checkAnswer(caller, prepared.answerContext(),
                text, offset), this.outputGuard.settings().windowChars(), this.outputGuard.settings().lookBehindChars())
                : null;
        AtomicBoolean committed = new AtomicBoolean(false);
        AtomicBoolean emitted = new AtomicBoolean(false);
        StringBuilder shownText = new StringBuilder();
        long modelStart = System.nanoTime();
        Flux<ChatResponse> answer = this.modelCalls.stream(chain, model -> {
                    trace.servedModel = model.name();
                    return model.provider().prompt(model.modelId(), prompt.messages(), trace.modelRequest, true)
                            .stream().chatResponse();
                }, !request.streaming(), deadline(caller), committed::get,
                (model, outcome) -> trace.attempts.add(model.name() + ":" + outcome));
        Map<String, String> headers = Map.of(
                PlatformHttpHeaders.ROUTE, route.header(),
                PlatformHttpHeaders.CACHE, trace.cache);

        // What every successful answer ends with: usage, cost, caches, memory. `done` is the model's answer,
        // `shown` what the user got after the output checks (masked or restored, or the block notice).
        java.util.function.BiConsumer<StoredAnswer, StoredAnswer> settle = (done, shown) -> {
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
            if (trace.costUsd != null) {
                this.spend.add(trace.tenantId, trace.costUsd);
            }
            boolean blocked = output != null && output.blocked();
            if (flight != null) {
                boolean cacheable = !blocked
                        && ("stop".equals(shown.finishReason()) || "tool_calls".equals(shown.finishReason()));
                this.cache.complete(flight, shown, trace.tenantId, cacheable);
            }
            else if (cacheKey != null && !blocked && "stop".equals(shown.finishReason())) {
                this.cache.put(cacheKey, shown, trace.tenantId);
            }
            if (remembered != null && done.toolCalls().isEmpty() && !blocked) {
                // the model's own words: pseudonyms stay pseudonyms in what the next prompt sees
                remember(caller, conversationId, trace.question, done.answer());
            }
            if (semantic != null && !blocked && "stop".equals(shown.finishReason())) {
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

        if (!request.streaming()) {
            try {
                // A whole answer is never committed before it is complete: retries and fallbacks stay possible
                // throughout, and a partial attempt is discarded by collecting each attempt on its own.
                List<ChatResponse> pieces = answer.collectList().block();
                pieces.forEach(current.get()::accept);
                trace.firstToken();
                String schema = trace.modelRequest.responseFormat() != null
                        && trace.modelRequest.responseFormat().jsonSchema()
                        ? trace.modelRequest.responseFormat().schema() : null;
                if (schema != null) {
                    trace.structuredOutput = this.schemaRepair.hold(schema, trace.modelRequest, deadline(caller),
                            trace, prompt, current);
                }
                StoredAnswer done = current.get().finish(trace.requestId, trace.servedModel);
                StoredAnswer shown = shownWhole(done, output, trace);
                settle.accept(done, shown);
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

        Flux<ServerSentEvent<String>> events = answer
                // output checks wait for Kafka replies: they run on virtual threads, never on the stream's thread
                .concatMap(response -> Mono.fromCallable(() -> {
                    AnswerAccumulator.Piece piece = current.get().accept(response);
                    if (piece.isEmpty()) {
                        return List.<ServerSentEvent<String>>of();
                    }
                    committed.set(true);   // the model produced text: no retry from here on
                    String text = piece.text() == null || output == null ? piece.text() : output.accept(piece.text());
                    AnswerAccumulator.Piece released = new AnswerAccumulator.Piece(text, piece.toolCalls());
                    if (released.isEmpty()) {
                        return List.<ServerSentEvent<String>>of();
                    }
                    emitted.set(true);
                    trace.firstToken();
                    if (text != null) {
                        shownText.append(text);
                    }
                    return writer.piece(released);
                }).subscribeOn(CHECKS))
                .takeUntil(ignored -> output != null && output.blocked())
                .concatMapIterable(list -> list)
                .concatWith(Mono.fromCallable(() -> {
                    List<ServerSentEvent<String>> closing = new ArrayList<>();
                    String tail = output == null || output.blocked() ? "" : output.finish();
                    if (!tail.isEmpty()) {
                        closing.addAll(writer.piece(new AnswerAccumulator.Piece(tail, List.of())));
                        shownText.append(tail);
                        emitted.set(true);
                        trace.firstToken();
                    }
                    StoredAnswer done = current.get().finish(trace.requestId, trace.servedModel);
                    StoredAnswer shown = output == null ? done : output.blocked() ? blocked(done, output, trace)
                            : withText(done, shownText.toString());
                    settle.accept(done, shown);
                    ModelRequest.ResponseFormat format = trace.modelRequest.responseFormat();
                    if (format != null && format.jsonSchema()) {
                        // A streamed answer is already with the client: it is checked and reported, not repaired.
                        trace.structuredOutput = this.schemaRepair.checkOnly(format.schema(), shown.answer());
                    }
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
                    List<Citation> citations = CitationExtractor.extract(shownText.toString(), prompt.passages());
                    return Flux.just(writer.error(problem, citations,
                            AnswerTraces.metadata(trace, route, prompt, citations)));
                })
                .doOnCancel(() -> {
                    onFailure.run();
                    finish(trace, Outcome.FAILED);
                });
        return new Answer(null, events, headers, stored);
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
        trace.note(Stage.CACHE, kind, null);
        PlatformMetadata metadata = AnswerTraces.metadata(trace, route, null, hit.citations());
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(PlatformHttpHeaders.ROUTE, route.header());
        headers.put(PlatformHttpHeaders.CACHE, kind);
        headers.put(PlatformHttpHeaders.SERVER_TIMING, trace.serverTiming());
        finish(trace, outcome(hit, trace));
        return Answer.of(hit, request, trace.requestId, trace.created, metadata, headers, this.json);
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

    /**
     * What steps 3 to 5 produce: the prompt (null when no model is called), what kind of answer to give, and what
     * the output checks need to know.
     */
    private record Prepared(GroundedPrompt prompt, AnswerKindRules.Decision decision,
                            OutputGuard.AnswerContext answerContext) {
    }

    /** Steps 3 to 5: everything before the model call. */
    private Prepared prepare(ChatCompletionRequest request, Caller caller, RequestTrace trace,
                             ResolvedModel model, ConversationMemory.Remembered remembered, String conversationId) {
        // 3. Guardrails check everything the model will read: messages, tool calls, tools, schema, stop, user.
        // The vault id lets a pseudonymising policy give the same placeholders on every turn and restore them.
        String vaultId = conversationId != null ? conversationId : trace.requestId;
        CheckInputCommand command = withVault(request.checkCommand(trace.requestId), vaultId);
        InputCheckedReply check = trace.time(Stage.GUARDRAILS,
                () -> this.guardrails.check(caller, trace.requestId, command));
        trace.verdict(check.verdict());
        trace.inputCheck = AnswerTraces.input(check);
        trace.note(Stage.GUARDRAILS, AnswerTraces.decision(check.verdict()),
                (check.findings() == null ? 0 : check.findings().size()) + " findings");
        List<ChatMessage> conversation = forwardableMessages(check, request);
        trace.modelRequest = checkedModelRequest(request.modelRequest(), check);
        List<Turn> turns = turns(request, conversation);
        boolean hasHistory = turns.stream().filter(turn -> !"system".equals(turn.role())).count() > 1
                || remembered != null && !remembered.asTurns().isEmpty();
        boolean needsSources = !request.usesTools() && !request.wantsJson() && !turns.getLast().isToolResult();
        if (remembered != null) {
            List<Turn> withHistory = new ArrayList<>(remembered.asTurns());
            withHistory.addAll(turns);
            turns = withHistory;
        }

        // 4. Retrieval searches with the (possibly redacted) question, in the vector stores the client named; each
        // passage is then checked as untrusted data: one carrying instructions is dropped, a suspicious one fenced.
        String question = lastUserMessage(conversation);
        trace.question = question;
        trace.retrievalQuery = question;
        List<Turn> promptTurns = turns;
        List<OutputGuard.ScreenedPassage> screened = trace.time(Stage.RETRIEVAL, () -> this.outputGuard.screen(caller,
                trace.requestId, this.retrieval.search(caller, trace.requestId, question, request.vectorStoreIds())));
        trace.screenedPassages = screened;
        List<RetrievedChunk> chunks = AnswerTraces.usable(screened);
        Set<String> terms = ContentTerms.of(question);
        Map<String, Double> relevance = new LinkedHashMap<>();
        screened.forEach(p -> relevance.put(p.chunk().chunkId(),
                Math.round(AnswerKindRules.relevance(terms, p.chunk()) * 100) / 100.0));
        trace.passageRelevance = relevance;

        // 4b. Is there anything to answer from, and is it clear what is asked?
        AnswerKindRules.Decision decision = this.answerKinds.decide(question, needsSources, hasHistory, chunks);
        long dropped = screened.stream().filter(OutputGuard.ScreenedPassage::dropped).count();
        long fenced = screened.stream().filter(OutputGuard.ScreenedPassage::fenced).count();
        String why = switch (decision) {
            case AnswerKindRules.Abstain abstain -> "abstained: " + abstain.why();
            case AnswerKindRules.Clarify clarify -> "clarifying: " + clarify.why();
            case AnswerKindRules.Answer answer -> null;
        };
        trace.note(Stage.RETRIEVAL, screened.size() + " passages", String.join("; ", java.util.stream.Stream.of(
                dropped > 0 ? dropped + " dropped as untrusted" : null, fenced > 0 ? fenced + " fenced" : null, why)
                .filter(java.util.Objects::nonNull).toList()));
        if (!(decision instanceof AnswerKindRules.Answer)) {
            return new Prepared(null, decision, null);
        }

        // 5. The prompt, within the chosen model's window, keeping room for the answer and the tool definitions.
        int answerReserve = request.modelRequest().answerTokenLimit() != null
                ? request.modelRequest().answerTokenLimit() : this.properties.prompt().answerReserve();
        GroundedPromptBuilder.Window window = new GroundedPromptBuilder.Window(model.contextWindow(), answerReserve,
                this.tokens.count(request.toolsText()));
        String canary = this.outputGuard.settings().enabled() ? "cnry-" + UUID.randomUUID().toString().substring(0, 8) : null;
        String preamble = this.preambles.preamble(canary, fenced > 0);
        GroundedPrompt prompt = trace.time(Stage.PROMPT, () -> this.promptBuilder.build(promptTurns, chunks, window,
                new GroundedPromptBuilder.Options(trace.promptVersion, preamble)));
        trace.note(Stage.PROMPT, prompt.promptTokens() + " of " + prompt.budget().promptLimit() + " tokens",
                trace.promptVersion);
        trace.promptPassages(prompt.passageIds());
        log.info("Request {} (tenant {}): verdict {}, {} of {} passages in the prompt, ~{} prompt tokens, {} turns dropped",
                trace.requestId, trace.tenantId, check.verdict(), prompt.passages().size(), screened.size(),
                prompt.promptTokens(), prompt.droppedMessages());
        return new Prepared(prompt, decision,
                new OutputGuard.AnswerContext(trace.requestId, canary, prompt.instructions(), vaultId));
    }

    private static CheckInputCommand withVault(CheckInputCommand command, String vaultId) {
        return new CheckInputCommand(command.requestId(), command.messages(), command.tools(),
                command.responseFormatSchema(), command.stop(), command.user(), command.policy(), vaultId);
    }

    /**
     * What may travel further: the redacted messages when guardrails masked something, never the originals.
     * Fails closed: a verdict without a usable body is treated as guardrails being unavailable.
     */
    private static List<ChatMessage> forwardableMessages(InputCheckedReply check, ChatCompletionRequest request) {
        boolean hasMessages = check.messages() != null && !check.messages().isEmpty();
        return switch (check.verdict()) {
            case BLOCKED -> throw ChatCompletionException.inputBlocked(check.reason(),
                    AnswerTraces.findings(check.findings(), check.verdict()));
            case ALLOWED -> hasMessages ? check.messages() : request.conversation();
            case REDACTED -> {
                if (!hasMessages) {
                    throw new DependencyUnavailableException("guardrails",
                            "guardrails redacted the input but sent no messages", null);
                }
                yield check.messages();
            }
            case null -> throw new DependencyUnavailableException("guardrails", "guardrails sent no verdict", null);
        };
    }

    /**
     * The client's tools, schema, stop sequences and user as guardrails let them through: when they masked
     * something there (an address in a tool description, say), the model gets the masked text, never the original.
     * Parts guardrails did not echo back stay as the client sent them.
     */
    static ModelRequest checkedModelRequest(ModelRequest original, InputCheckedReply check) {
        List<org.springframework.ai.tool.definition.ToolDefinition> tools = original.tools();
        List<dev.genaiplatform.contracts.guardrails.ToolDefinition> checkedTools = check.tools();
        if (checkedTools != null && checkedTools.size() == tools.size() && !tools.isEmpty()) {
            List<org.springframework.ai.tool.definition.ToolDefinition> masked = new ArrayList<>();
            for (int i = 0; i < tools.size(); i++) {
                var checked = checkedTools.get(i);
                masked.add(org.springframework.ai.tool.definition.ToolDefinition.builder()
                        .name(tools.get(i).name()) // the name the model must call back; guardrails block odd names
                        .description(checked.description() != null ? checked.description() : tools.get(i).description())
                        .inputSchema(checked.parametersSchema() != null ? checked.parametersSchema() : tools.get(i).inputSchema())
                        .build());
            }
            tools = masked;
        }
        ModelRequest.ResponseFormat format = original.responseFormat();
        if (format != null && format.jsonSchema() && check.responseFormatSchema() != null) {
            format = new ModelRequest.ResponseFormat(format.type(), check.responseFormatSchema(), format.strict());
        }
        List<String> stop = check.stop() != null && check.stop().size() == original.stop().size() ? check.stop() : original.stop();
        String user = original.user() != null && check.user() != null ? check.user() : original.user();
        return new ModelRequest(original.temperature(), original.topP(), original.maxTokens(),
                original.maxCompletionTokens(), stop, original.seed(), user, tools, original.toolChoice(),
                original.parallelToolCalls(), format);
    }

    /** Guardrails answer with one message per message sent; anything else is a broken reply: fail closed. */
    private static List<Turn> turns(ChatCompletionRequest request, List<ChatMessage> checked) {
        try {
            return request.turns(checked);
        }
        catch (IllegalStateException mismatch) {
            throw new DependencyUnavailableException("guardrails", mismatch.getMessage(), null);
        }
    }

    private static String lastUserMessage(List<ChatMessage> conversation) {
        for (int i = conversation.size() - 1; i >= 0; i--) {
            if ("user".equals(conversation.get(i).role())) {
                return conversation.get(i).content();
            }
        }
        return conversation.getLast().content();
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
        Tracer current = this.tracer.getIfAvailable();
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

    /** Step 8, for every request that reached the service: stage timers and the completion event. */
    private void finish(RequestTrace trace, Outcome outcome) {
        if (trace.finished) {
            return;
        }
        trace.finished = true;
        trace.stageNanos().forEach((stage, nanos) -> this.meters
                .timer("orchestrator.stage", "stage", stage.metricName)
                .record(nanos, TimeUnit.NANOSECONDS));
        this.events.publish(trace.toEvent(outcome), trace.token);
        log.info("Request {} (tenant {}) finished: {} in {} ms (cache {}, served by {}, attempts {})", trace.requestId,
                trace.tenantId, outcome, TimeUnit.NANOSECONDS.toMillis(trace.elapsedNanos()), trace.cache,
                trace.servedModel, trace.attempts);
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
