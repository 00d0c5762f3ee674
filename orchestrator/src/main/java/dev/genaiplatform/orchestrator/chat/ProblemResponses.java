package dev.genaiplatform.orchestrator.chat;

import dev.genaiplatform.contracts.problem.ProblemType;
import dev.genaiplatform.orchestrator.OrchestratorProperties;
import dev.genaiplatform.orchestrator.problem.Problems;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;
import org.springframework.web.server.UnsupportedMediaTypeStatusException;
import org.springframework.web.server.MethodNotAllowedException;

import java.time.Duration;

/**
 * Every failure leaves as {@code application/problem+json} in the platform's one vocabulary
 * ({@link ProblemType}), with an OpenAI-shaped {@code error} member. 429 and 503 carry {@code Retry-After}.
 */
@RestControllerAdvice
class ProblemResponses {

    private static final Logger log = LoggerFactory.getLogger(ProblemResponses.class);

    private final OrchestratorProperties properties;

    ProblemResponses(OrchestratorProperties properties) {
        this.properties = properties;
    }

    @ExceptionHandler(ChatCompletionException.class)
    ResponseEntity<ProblemDetail> chatFailure(ChatCompletionException ex, ServerWebExchange exchange) {
        ProblemType type = ex.type();
        ResponseEntity.BodyBuilder response = ResponseEntity.status(type.status());
        Duration retryAfter = ex.retryAfter() != null ? ex.retryAfter()
                : type.status() == 503 || type.status() == 429 ? this.properties.retryAfter() : null;
        if (retryAfter != null) {
            response.header(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, (retryAfter.toMillis() + 999) / 1000)));
        }
        ProblemDetail body = Problems.of(type, ex.getMessage(), ex.param(), exchange.getRequest().getPath().value());
        if (ex.requestId() != null) {
            body.setProperty("requestId", ex.requestId());
        }
        if (ex.findings() != null) {
            body.setProperty("findings", ex.findings());
        }
        return response.contentType(MediaType.APPLICATION_PROBLEM_JSON).body(body);
    }

    /** Unreadable JSON, wrong content type, unknown path and the like: the framework rejected the request. */
    @ExceptionHandler(ResponseStatusException.class)
    ResponseEntity<ProblemDetail> rejected(ResponseStatusException ex, ServerWebExchange exchange) {
        ProblemType type = switch (ex) {
            case ServerWebInputException input -> ProblemType.INVALID_JSON;
            case UnsupportedMediaTypeStatusException media -> ProblemType.UNSUPPORTED_MEDIA_TYPE;
            case MethodNotAllowedException method -> ProblemType.METHOD_NOT_ALLOWED;
            default -> ex.getStatusCode().value() == 404 ? ProblemType.NOT_FOUND
                    : ex.getStatusCode().is4xxClientError() ? ProblemType.INVALID_VALUE : ProblemType.INTERNAL_ERROR;
        };
        String detail = type == ProblemType.INTERNAL_ERROR ? "The request could not be processed."
                : ex.getReason() != null ? ex.getReason() : type.title();
        return ResponseEntity.status(type.status()).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(Problems.of(type, detail, null, exchange.getRequest().getPath().value()));
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception ex, ServerWebExchange exchange) {
        log.error("Unexpected failure on {}", exchange.getRequest().getPath(), ex);
        ProblemType internal = ProblemType.INTERNAL_ERROR;
        return ResponseEntity.status(internal.status()).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(Problems.of(internal, "The request failed unexpectedly.", null,
                        exchange.getRequest().getPath().value()));
    }
}
