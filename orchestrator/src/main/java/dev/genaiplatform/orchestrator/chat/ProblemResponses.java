package dev.genaiplatform.orchestrator.chat;

import dev.genaiplatform.orchestrator.OrchestratorProperties;
import dev.genaiplatform.orchestrator.chat.ChatCompletionException.Problem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every failure leaves as {@code application/problem+json} with an extra {@code error} member in OpenAI's
 * shape, so both RFC 9457 clients and OpenAI SDKs can read it. Never a stack trace.
 */
@RestControllerAdvice
class ProblemResponses {

    private static final Logger log = LoggerFactory.getLogger(ProblemResponses.class);
    private static final String TYPE_PREFIX = "urn:genai-platform:problem:";

    private final OrchestratorProperties properties;

    ProblemResponses(OrchestratorProperties properties) {
        this.properties = properties;
    }

    @ExceptionHandler(ChatCompletionException.class)
    ResponseEntity<ProblemDetail> chatFailure(ChatCompletionException ex, ServerWebExchange exchange) {
        Problem problem = ex.problem();
        ResponseEntity.BodyBuilder response = ResponseEntity.status(problem.status);
        if (problem == Problem.DEPENDENCY_UNAVAILABLE) {
            long seconds = Math.max(1, (this.properties.retryAfter().toMillis() + 999) / 1000);
            response.header(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
        }
        ProblemDetail body = problem(problem.status, problem.slug, problem.title, ex.getMessage(), problem.openAiType,
                problem.code, exchange);
        if (ex.requestId() != null) {
            body.setProperty("requestId", ex.requestId());
        }
        return response.contentType(MediaType.APPLICATION_PROBLEM_JSON).body(body);
    }

    /** Unreadable JSON, wrong content type, unknown path and the like: the framework rejected the request. */
    @ExceptionHandler(ResponseStatusException.class)
    ResponseEntity<ProblemDetail> rejected(ResponseStatusException ex, ServerWebExchange exchange) {
        HttpStatusCode status = ex.getStatusCode();
        boolean clientError = status.is4xxClientError();
        String detail = clientError && ex.getReason() != null ? ex.getReason() : "The request could not be processed.";
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem(status, clientError ? "invalid-request" : "internal-error",
                        clientError ? "Invalid request" : "Internal error", detail,
                        clientError ? "invalid_request_error" : "api_error",
                        clientError ? "invalid-request" : "internal-error", exchange));
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception ex, ServerWebExchange exchange) {
        log.error("Unexpected failure on {}", exchange.getRequest().getPath(), ex);
        Problem internal = Problem.INTERNAL;
        return ResponseEntity.status(internal.status).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem(internal.status, internal.slug, internal.title, "The request failed unexpectedly.",
                        internal.openAiType, internal.code, exchange));
    }

    private static ProblemDetail problem(HttpStatusCode status, String slug, String title, String detail,
                                         String openAiType, String code, ServerWebExchange exchange) {
        ProblemDetail body = ProblemDetail.forStatusAndDetail(status, detail);
        body.setType(URI.create(TYPE_PREFIX + slug));
        body.setTitle(title);
        body.setInstance(URI.create(exchange.getRequest().getPath().value()));
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("message", detail);
        error.put("type", openAiType);
        error.put("code", code);
        body.setProperty("error", error);
        return body;
    }
}
