package dev.genaiplatform.orchestrator.chat;

import dev.genaiplatform.contracts.http.PlatformHttpHeaders;
import dev.genaiplatform.contracts.problem.ProblemType;
import dev.genaiplatform.contracts.security.InternalToken;
import dev.genaiplatform.orchestrator.OrchestratorProperties;
import dev.genaiplatform.orchestrator.cache.ExactAnswerCache;
import dev.genaiplatform.orchestrator.idempotency.IdempotencyStore;
import dev.genaiplatform.orchestrator.memory.ConversationMemory;
import dev.genaiplatform.orchestrator.security.Caller;
import org.springframework.core.task.VirtualThreadTaskExecutor;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.util.StringUtils;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.json.JsonMapper;

import java.util.Locale;

/**
 * {@code POST /v1/chat/completions}, OpenAI-compatible. The caller is the gateway's signed internal token (see
 * {@code InternalTokenSecurity}); tenant, key, models and deadline come from it, never from a header.
 *
 * <p>Request headers read here: {@code Idempotency-Key}, {@code Cache-Control: no-cache} (or {@code no-store}),
 * {@code X-Conversation-Id} and {@code X-Platform-Experiment-Arm} (scope {@code evaluation} only), both recorded
 * in the completion event. The method returns a {@link Mono}, so WebFlux runs it on the event loop: a plain
 * exact-cache hit is answered there ({@link ChatCompletionService#answer}); everything else moves to a virtual thread,
 * the same hop WebFlux makes for a blocking handler, where the service may block while it waits for Kafka replies.
 */
@RestController
class ChatCompletionController {

    private final ChatCompletionService service;
    private final IdempotencyStore idempotency;
    private final OrchestratorProperties properties;
    private final JsonMapper json;

    /** Where the chat flow runs when it may block (a miss, an idempotent request): one virtual thread per request. */
    private static final Scheduler BLOCKING = Schedulers.fromExecutor(new VirtualThreadTaskExecutor("chat-"));

    ChatCompletionController(ChatCompletionService service, IdempotencyStore idempotency,
                             OrchestratorProperties properties, JsonMapper json) {
        this.service = service;
        this.idempotency = idempotency;
        this.properties = properties;
        this.json = json;
    }

    @PostMapping("/v1/chat/completions")
    Mono<ResponseEntity<?>> createChatCompletion(
            @AuthenticationPrincipal Jwt token,
            @RequestHeader(name = PlatformHttpHeaders.REQUEST_ID, required = false) String gatewayRequestId,
            @RequestHeader(name = PlatformHttpHeaders.IDEMPOTENCY_KEY, required = false) String idempotencyKey,
            @RequestHeader(name = HttpHeaders.CACHE_CONTROL, required = false) String cacheControl,
            @RequestHeader(name = PlatformHttpHeaders.CONVERSATION_ID, required = false) String conversationId,
            @RequestHeader(name = PlatformHttpHeaders.EXPERIMENT_ARM, required = false) String experimentArm,
            @RequestBody ChatCompletionRequest request) {
        Caller caller = Caller.from(token);
        if (conversationId != null && !ConversationMemory.isValidId(conversationId)) {
            throw new ChatCompletionException(ProblemType.INVALID_HEADER,
                    "X-Conversation-Id must be 1 to 128 characters of letters, digits and . _ : -.",
                    PlatformHttpHeaders.CONVERSATION_ID, null, null);
        }
        ChatCompletionService.Options options = new ChatCompletionService.Options(bypassesCache(cacheControl),
                conversationId, caller.scopes().contains(InternalToken.SCOPE_EVALUATION) ? experimentArm : null);
        if (idempotencyKey == null) {
            return this.service.answer(request, caller, options, BLOCKING)
                    .<ResponseEntity<?>>map(answer -> respond(answer, gatewayRequestId, request));
        }
        return Mono.<ResponseEntity<?>>fromCallable(() -> idempotent(request, caller, options, idempotencyKey, gatewayRequestId))
                .subscribeOn(BLOCKING);
    }

    private ResponseEntity<?> idempotent(ChatCompletionRequest request, Caller caller,
                                         ChatCompletionService.Options options, String key, String gatewayRequestId) {
        if (!IdempotencyStore.isValidKey(key)) {
            throw new ChatCompletionException(ProblemType.INVALID_HEADER,
                    "Idempotency-Key must be 1 to 255 printable ASCII characters without spaces.",
                    PlatformHttpHeaders.IDEMPOTENCY_KEY, null, null);
        }
        String fingerprint = ExactAnswerCache.sha256(this.json.writeValueAsString(request));
        IdempotencyStore.Claim claim = this.idempotency.claim(caller.tenantId(), key, fingerprint,
                this.properties.resilience().totalTimeout());
        return switch (claim) {
            case IdempotencyStore.Replay replay -> respond(this.service.replay(request, replay.answer()),
                    gatewayRequestId, request);
            case IdempotencyStore.Mismatch mismatch -> throw new ChatCompletionException(
                    ProblemType.IDEMPOTENCY_KEY_REUSED,
                    "This Idempotency-Key was used with a different request body.",
                    PlatformHttpHeaders.IDEMPOTENCY_KEY, null, null);
            case IdempotencyStore.StillRunning running -> throw new ChatCompletionException(ProblemType.CONFLICT,
                    "The first request with this Idempotency-Key is still running.",
                    PlatformHttpHeaders.IDEMPOTENCY_KEY, java.time.Duration.ofSeconds(1), null);
            case IdempotencyStore.Unavailable unavailable -> respond(this.service.begin(request, caller, options),
                    gatewayRequestId, request);
            case IdempotencyStore.Fresh fresh -> {
                Answer answer;
                try {
                    answer = this.service.begin(request, caller, options);
                }
                catch (RuntimeException failure) {
                    this.idempotency.release(fresh);
                    throw failure;
                }
                answer.stored().thenAccept(done -> done.ifPresentOrElse(
                        stored -> this.idempotency.finish(fresh, fingerprint, stored),
                        () -> this.idempotency.release(fresh)));
                yield respond(answer, gatewayRequestId, request);
            }
        };
    }

    private static ResponseEntity<?> respond(Answer answer, String gatewayRequestId,
                                             ChatCompletionRequest request) {
        ResponseEntity.BodyBuilder response = ResponseEntity.ok();
        if (StringUtils.hasText(gatewayRequestId)) {
            response.header(PlatformHttpHeaders.REQUEST_ID, gatewayRequestId);
        }
        answer.headers().forEach(response::header);
        if (request.streaming()) {
            return response.contentType(MediaType.TEXT_EVENT_STREAM).body(answer.stream());
        }
        return response.contentType(MediaType.APPLICATION_JSON).body(answer.body());
    }

    static boolean bypassesCache(String cacheControl) {
        if (cacheControl == null) {
            return false;
        }
        String value = cacheControl.toLowerCase(Locale.ROOT);
        return value.contains("no-cache") || value.contains("no-store");
    }
}
