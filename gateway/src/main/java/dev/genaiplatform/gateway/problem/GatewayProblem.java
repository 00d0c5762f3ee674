package dev.genaiplatform.gateway.problem;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * Every error the gateway itself answers with. Each becomes an RFC 9457 problem whose {@code type} is
 * {@code urn:genai-platform:problem:<code>}, plus an OpenAI-style {@code error} member so that OpenAI
 * SDKs show the message. Codes follow OpenAI's where one exists.
 */
public enum GatewayProblem {

    INVALID_API_KEY(HttpStatus.UNAUTHORIZED, "invalid_api_key", "invalid_request_error", "Invalid API key"),
    RATE_LIMIT_EXCEEDED(HttpStatus.TOO_MANY_REQUESTS, "rate_limit_exceeded", "rate_limit_error", "Rate limit exceeded"),
    REQUEST_TOO_LARGE(HttpStatus.CONTENT_TOO_LARGE, "request_too_large", "invalid_request_error", "Request body too large"),
    INVALID_JSON(HttpStatus.BAD_REQUEST, "invalid_json", "invalid_request_error", "Malformed JSON"),
    MISSING_REQUIRED_PARAMETER(HttpStatus.BAD_REQUEST, "missing_required_parameter", "invalid_request_error", "Missing required parameter"),
    INVALID_TYPE(HttpStatus.BAD_REQUEST, "invalid_type", "invalid_request_error", "Invalid parameter type"),
    INVALID_VALUE(HttpStatus.BAD_REQUEST, "invalid_value", "invalid_request_error", "Invalid parameter value"),
    EMPTY_ARRAY(HttpStatus.BAD_REQUEST, "empty_array", "invalid_request_error", "Empty array"),
    MODEL_NOT_FOUND(HttpStatus.NOT_FOUND, "model_not_found", "invalid_request_error", "Model not found"),
    RATE_LIMITER_UNAVAILABLE(HttpStatus.SERVICE_UNAVAILABLE, "rate_limiter_unavailable", "server_error", "Rate limiter unavailable"),
    UPSTREAM_UNAVAILABLE(HttpStatus.SERVICE_UNAVAILABLE, "upstream_unavailable", "server_error", "Backend unavailable"),
    UPSTREAM_TIMEOUT(HttpStatus.GATEWAY_TIMEOUT, "upstream_timeout", "server_error", "Backend timed out"),
    UPSTREAM_FAILED(HttpStatus.BAD_GATEWAY, "upstream_failed", "server_error", "Backend failed"),
    INTERNAL_ERROR(HttpStatus.INTERNAL_SERVER_ERROR, "internal_error", "server_error", "Internal error");

    static final String TYPE_PREFIX = "urn:genai-platform:problem:";

    private final HttpStatus status;

    private final String code;

    private final String errorType;

    private final String title;

    GatewayProblem(HttpStatus status, String code, String errorType, String title) {
        this.status = status;
        this.code = code;
        this.errorType = errorType;
        this.title = title;
    }

    public HttpStatus status() {
        return status;
    }

    public String code() {
        return code;
    }

    /** The problem as an exception a filter can signal; {@link ProblemDetailExceptionHandler} renders it. */
    public ErrorResponseException exception(String detail) {
        return exception(detail, null);
    }

    /** @param param the request parameter at fault, as OpenAI names it (e.g. {@code messages[0].content}) */
    public ErrorResponseException exception(String detail, String param) {
        return new ErrorResponseException(status, problem(detail, param), null);
    }

    public ProblemDetail problem(String detail, String param) {
        return build(status.value(), code, errorType, title, detail, param);
    }

    /** A problem for a status no constant covers (e.g. a 405 from Spring); the code derives from the status. */
    static ProblemDetail forStatus(int status, String detail) {
        HttpStatus known = HttpStatus.resolve(status);
        String reason = known != null ? known.getReasonPhrase() : "Error";
        String code = reason.toLowerCase().replaceAll("[^a-z0-9]+", "_");
        String errorType = status >= 500 ? "server_error" : "invalid_request_error";
        return build(status, code, errorType, reason, detail, null);
    }

    private static ProblemDetail build(int status, String code, String errorType, String title, String detail,
            String param) {
        ProblemDetail problem = ProblemDetail.forStatus(status);
        problem.setDetail(detail);
        problem.setType(URI.create(TYPE_PREFIX + code));
        problem.setTitle(title);
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("message", detail);
        error.put("type", errorType);
        error.put("param", param);
        error.put("code", code);
        problem.setProperty("error", error);
        return problem;
    }
}
