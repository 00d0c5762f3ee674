package dev.genaiplatform.orchestrator.chat;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.util.StringUtils;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * The OpenAI-compatible chat endpoint the gateway forwards to. Any OpenAI client can talk to it by
 * pointing its base URL at the gateway.
 *
 * <p>The method returns a plain value, not a {@code Mono}, so WebFlux runs it on a virtual thread (see
 * {@code OrchestratorConfiguration}) and the service may block while it waits for Kafka replies.
 */
@RestController
class ChatCompletionController {

    /** Set by the gateway after it authenticated the caller; see README, Limits. */
    static final String TENANT_HEADER = "X-Tenant-Id";
    /** The gateway's id for the incoming HTTP request, echoed back and logged for joining logs. */
    static final String REQUEST_ID_HEADER = "X-Request-Id";
    static final String SERVER_TIMING_HEADER = "Server-Timing";

    private static final Logger log = LoggerFactory.getLogger(ChatCompletionController.class);

    private final ChatCompletionService service;

    ChatCompletionController(ChatCompletionService service) {
        this.service = service;
    }

    @PostMapping("/v1/chat/completions")
    ResponseEntity<?> createChatCompletion(@RequestHeader(name = TENANT_HEADER, required = false) String tenantId,
                                           @RequestHeader(name = REQUEST_ID_HEADER, required = false) String gatewayRequestId,
                                           @RequestBody ChatCompletionRequest request) {
        if (!StringUtils.hasText(tenantId)) {
            throw ChatCompletionException.missingTenant();
        }
        log.debug("Chat request from tenant {} (gateway request {}), streaming={}", tenantId, gatewayRequestId,
                request.streaming());
        ResponseEntity.BodyBuilder response = ResponseEntity.ok();
        if (StringUtils.hasText(gatewayRequestId)) {
            response.header(REQUEST_ID_HEADER, gatewayRequestId);
        }
        if (request.streaming()) {
            return response.contentType(MediaType.TEXT_EVENT_STREAM).body(this.service.stream(request, tenantId));
        }
        ChatCompletionService.CompletedAnswer answer = this.service.complete(request, tenantId);
        return response.header(SERVER_TIMING_HEADER, answer.serverTiming())
                .contentType(MediaType.APPLICATION_JSON)
                .body(answer.body());
    }
}
