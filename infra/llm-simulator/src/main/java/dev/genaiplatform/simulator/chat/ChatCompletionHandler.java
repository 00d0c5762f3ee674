package dev.genaiplatform.simulator.chat;

import dev.genaiplatform.simulator.answer.GroundedAnswer;
import dev.genaiplatform.simulator.answer.GroundedAnswerComposer;
import dev.genaiplatform.simulator.answer.ModelReply;
import dev.genaiplatform.simulator.answer.ReplyComposer;
import dev.genaiplatform.simulator.faults.ActiveFault;
import dev.genaiplatform.simulator.faults.FaultInjector;
import dev.genaiplatform.simulator.inspection.RequestLog;
import dev.genaiplatform.simulator.limits.ProviderRateLimits;
import dev.genaiplatform.simulator.limits.RateLimitDecision;
import dev.genaiplatform.simulator.model.ModelCatalog;
import dev.genaiplatform.simulator.model.ModelProfile;
import dev.genaiplatform.simulator.model.ToolCall;
import dev.genaiplatform.simulator.serving.Generation;
import dev.genaiplatform.simulator.serving.ServingEngine;
import dev.genaiplatform.simulator.tokens.TokenPiece;
import dev.genaiplatform.simulator.tokens.Tokenizer;
import dev.genaiplatform.simulator.tokens.Tokenizers;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;

/**
 * {@code POST /v1/chat/completions}: checks the request, lets the composer decide the answer, lets the
 * serving engine pace its tokens, and writes them as one JSON body or as server-sent events.
 */
public final class ChatCompletionHandler {

    private static final Logger log = LoggerFactory.getLogger(ChatCompletionHandler.class);

    private static final HexFormat HEX = HexFormat.of();

    private final ModelCatalog catalog;
    private final Tokenizers tokenizers;
    private final GroundedAnswerComposer composer;
    private final ReplyComposer replies;
    private final ServingEngine engine;
    private final RequestLog requestLog;
    private final ChatRequestParser parser;
    private final ChatStreamWriter streamWriter;
    private final ChatMetrics metrics;
    private final Clock clock;
    private final ProviderRateLimits rateLimits;
    private final FaultInjector faults;

    public ChatCompletionHandler(ModelCatalog catalog, Tokenizers tokenizers, GroundedAnswerComposer composer,
                                 ServingEngine engine, RequestLog requestLog, JsonMapper json,
                                 MeterRegistry meterRegistry, Clock clock, ProviderRateLimits rateLimits,
                                 FaultInjector faults) {
        this.catalog = catalog;
        this.tokenizers = tokenizers;
        this.composer = composer;
        this.replies = new ReplyComposer();
        this.engine = engine;
        this.requestLog = requestLog;
        this.parser = new ChatRequestParser(json);
        this.streamWriter = new ChatStreamWriter(json);
        this.metrics = new ChatMetrics(meterRegistry);
        this.clock = clock;
        this.rateLimits = rateLimits;
        this.faults = faults;
    }

    public Mono<ServerResponse> complete(ServerRequest request) {
        return request.bodyToMono(byte[].class)
                .switchIfEmpty(Mono.error(OpenAiError::invalidJson))
                .flatMap(body -> serve(request, body))
                .onErrorResume(this::refuse);
    }

    private Mono<ServerResponse> serve(ServerRequest http, byte[] body) {
        JsonNode json = parser.readJson(body);
        requestLog.record(body);
        ChatCompletionRequest request = parser.parse(json);
        ModelProfile model = catalog.find(request.model())
                .orElseThrow(() -> OpenAiError.modelNotFound(request.model()));
        Tokenizer tokenizer = tokenizers.forModel(model);

        int promptTokens = tokenizer.countPrompt(request.messages());
        int requested = promptTokens + (request.maxTokens() == null ? 0 : request.maxTokens());
        if (requested > model.contextWindow()) {
            throw OpenAiError.contextLengthExceeded(model.id(), model.contextWindow(), promptTokens, request.maxTokens());
        }
        // the provider's side before the model runs: per-key rate limits (limits/), then faults (faults/)
        RateLimitDecision limit = rateLimits.admit(http, model.id(), promptTokens, request.maxTokens());
        if (!limit.allowed()) {
            metrics.request(model.id(), 429);
            return rateLimits.tooManyRequests(limit);
        }
        ActiveFault fault = faults.choose(http, model.id());
        if (fault.answersInsteadOfModel()) {
            metrics.request(model.id(), fault.status());
            return fault.answer(promptTokens);
        }
        GroundedAnswer answer = composer.compose(request.messages(), model.answer().maxSentences(),
                model.answer().minRelevance());
        List<ModelReply> choices = new ArrayList<>(request.n());
        List<Generation> generations = new ArrayList<>(request.n());
        for (int choice = 0; choice < request.n(); choice++) {
            ModelReply reply = fault.rewrite(replies.reply(request.messages(), request.options(), answer, choice),
                    request.options().responseFormat());
            choices.add(reply);
            generations.add(fault.reshape(Generation.fit(model, promptTokens,
                    tokenizer.pieces(reply.generatedText()), request.maxTokens())));
        }
        ModelReply reply = choices.getFirst();
        Generation generation = generations.getFirst();

        String id = completionId();
        long created = clock.instant().getEpochSecond();
        log.debug("{} model={} stream={} promptTokens={} completionTokens={} grounded={} finish={}", id, model.id(),
                request.stream(), promptTokens, generation.completionTokens(), reply.grounded(),
                generation.finishReason().wireName());
        metrics.request(model.id(), 200);
        metrics.promptTokens(model.id(), promptTokens);
        // n choices are n sequences for the engine, served side by side as a real server batches them
        List<ChatStreamWriter.Served> served = new ArrayList<>(request.n());
        Counter generatedTokens = metrics.generatedTokens(model.id());
        for (int choice = 0; choice < request.n(); choice++) {
            Flux<TokenPiece> tokens = engine.generate(generations.get(choice))
                    .doOnNext(piece -> generatedTokens.increment(piece.tokens()));
            served.add(new ChatStreamWriter.Served(generations.get(choice), tokens, choices.get(choice).toolCall()));
        }

        if (request.stream()) {
            return streamWriter.respond(id, created, served, request.includeUsage());
        }
        return Flux.merge(served.stream().map(ChatStreamWriter.Served::tokens).toList())
                .then(Mono.defer(() -> ServerResponse.ok()
                        .contentType(MediaType.APPLICATION_JSON).bodyValue(whole(id, created, served))));
    }

    /**
     * {@code chatcmpl-} and 32 hex digits, as OpenAI's ids look. An id names a completion, it guards nothing, so it comes
     * from a fast random source rather than {@code UUID.randomUUID()}'s secure one (about 1 % of an answer's CPU).
     */
    static String completionId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return "chatcmpl-" + HEX.toHexDigits(random.nextLong()) + HEX.toHexDigits(random.nextLong());
    }

    private static OpenAiWire.ChatCompletion whole(String id, long created, List<ChatStreamWriter.Served> served) {
        List<OpenAiWire.Choice> choices = new ArrayList<>(served.size());
        for (int index = 0; index < served.size(); index++) {
            Generation generation = served.get(index).generation();
            ToolCall call = served.get(index).toolCall();
            String text = generation.output().stream().map(TokenPiece::text).collect(Collectors.joining());
            OpenAiWire.Message message = call == null ? new OpenAiWire.Message("assistant", text, null)
                    : new OpenAiWire.Message("assistant", null, null,
                            List.of(new OpenAiWire.ToolCall(call.id(), call.name(), text)));
            choices.add(new OpenAiWire.Choice(index, message, null, ChatStreamWriter.finishReason(generation, call)));
        }
        Generation first = served.getFirst().generation();
        int completionTokens = served.stream().mapToInt(c -> c.generation().completionTokens()).sum();
        return new OpenAiWire.ChatCompletion(id, "chat.completion", created, first.model().id(), choices,
                new OpenAiWire.Usage(first.promptTokens(), completionTokens));
    }

    private Mono<ServerResponse> refuse(Throwable failure) {
        OpenAiError error = switch (failure) {
            case OpenAiError e -> e;
            case DataBufferLimitException e -> OpenAiError.tooLarge();
            default -> {
                log.error("Chat completion failed", failure);
                yield OpenAiError.serverError();
            }
        };
        log.debug("Refused with {}: {}", error.status().value(), error.getMessage());
        metrics.request(error.model() == null ? ChatMetrics.UNKNOWN_MODEL : error.model(), error.status().value());
        return error.toResponse();
    }
}
