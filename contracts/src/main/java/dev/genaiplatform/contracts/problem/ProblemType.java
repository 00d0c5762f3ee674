package dev.genaiplatform.contracts.problem;

import java.util.Arrays;
import java.util.Optional;

/**
 * Every error the platform answers with, whichever service notices it: one list, so the same mistake gets
 * the same answer from the gateway and from the service behind it.
 *
 * <p>On the wire each becomes an RFC 9457 {@code application/problem+json} document whose {@code type} is
 * {@link #TYPE_PREFIX} + {@link #code()}, with an extra OpenAI-shaped {@code error} member
 * ({@code {"message", "type", "code", "param"}}) so OpenAI SDKs show the message. Codes are OpenAI's where
 * OpenAI has one (snake_case), the platform's own otherwise. {@code src/test/resources/problems.json} holds a
 * complete example of each.
 */
public enum ProblemType {

    // --- the request itself (400, 404, 405, 408, 413, 415, 422) ---
    INVALID_JSON(400, "invalid_json", ErrorKind.INVALID_REQUEST, "Malformed JSON"),
    MISSING_REQUIRED_PARAMETER(400, "missing_required_parameter", ErrorKind.INVALID_REQUEST, "Missing required parameter"),
    INVALID_TYPE(400, "invalid_type", ErrorKind.INVALID_REQUEST, "Invalid parameter type"),
    INVALID_VALUE(400, "invalid_value", ErrorKind.INVALID_REQUEST, "Invalid parameter value"),
    EMPTY_ARRAY(400, "empty_array", ErrorKind.INVALID_REQUEST, "Empty array"),
    INVALID_HEADER(400, "invalid_header", ErrorKind.INVALID_REQUEST, "Invalid header value"),
    INVALID_FILTER(400, "invalid_filter", ErrorKind.INVALID_REQUEST, "Invalid search filter"),
    INPUT_BLOCKED(400, "input_blocked", ErrorKind.INVALID_REQUEST, "Input blocked by policy"),
    PROMPT_TOO_LONG(400, "context_length_exceeded", ErrorKind.INVALID_REQUEST, "Prompt too long for the model"),
    UNSUPPORTED_FILE_TYPE(415, "unsupported_file_type", ErrorKind.INVALID_REQUEST, "Unsupported file type"),
    EMPTY_FILE(400, "empty_file", ErrorKind.INVALID_REQUEST, "Empty file"),
    NOT_FOUND(404, "not_found", ErrorKind.INVALID_REQUEST, "Not found"),
    MODEL_NOT_FOUND(404, "model_not_found", ErrorKind.INVALID_REQUEST, "Model not found"),
    ROUTE_NOT_FOUND(404, "route_not_found", ErrorKind.INVALID_REQUEST, "Unknown route"),
    /** A cited chunk whose document version is gone (replaced, deleted) or not the caller's to read (ADR 0005). */
    DOCUMENT_NOT_FOUND(404, "document_not_found", ErrorKind.INVALID_REQUEST, "Document not found"),
    METHOD_NOT_ALLOWED(405, "method_not_allowed", ErrorKind.INVALID_REQUEST, "Method not allowed"),
    REQUEST_TIMEOUT(408, "request_timeout", ErrorKind.INVALID_REQUEST, "Request not received in time"),
    CONFLICT(409, "conflict", ErrorKind.INVALID_REQUEST, "Conflict with the current state"),
    IDEMPOTENCY_KEY_REUSED(422, "idempotency_key_reused", ErrorKind.INVALID_REQUEST, "Idempotency key reused with another request"),
    TOOL_FAILED(422, "tool_failed", ErrorKind.INVALID_REQUEST, "The tool ran and failed"),
    REQUEST_TOO_LARGE(413, "request_too_large", ErrorKind.INVALID_REQUEST, "Request too large"),
    UNSUPPORTED_MEDIA_TYPE(415, "unsupported_media_type", ErrorKind.INVALID_REQUEST, "Unsupported media type"),

    // --- who is calling (401, 403) ---
    INVALID_API_KEY(401, "invalid_api_key", ErrorKind.AUTHENTICATION, "Invalid API key"),
    INVALID_INTERNAL_TOKEN(401, "invalid_internal_token", ErrorKind.AUTHENTICATION, "Missing or invalid internal token"),
    INSUFFICIENT_SCOPE(403, "insufficient_scope", ErrorKind.PERMISSION, "The API key lacks the scope this API needs"),
    /**
     * Not answered by any service since wave 5: a model outside the key's (or token's) list is {@link #MODEL_NOT_FOUND},
     * as OpenAI answers, whichever service notices. Kept so the slug stays reserved.
     */
    @Deprecated
    MODEL_NOT_ALLOWED(403, "model_not_allowed", ErrorKind.PERMISSION, "Model not allowed for this key"),
    TOOL_NOT_ALLOWED(403, "tool_not_allowed", ErrorKind.PERMISSION, "Tool not allowed by policy"),

    // --- limits (429) ---
    RATE_LIMIT_EXCEEDED(429, "rate_limit_exceeded", ErrorKind.RATE_LIMIT, "Rate limit exceeded"),
    TOKEN_BUDGET_EXCEEDED(429, "token_budget_exceeded", ErrorKind.RATE_LIMIT, "Token budget exceeded"),
    COST_BUDGET_EXCEEDED(429, "cost_budget_exceeded", ErrorKind.RATE_LIMIT, "Monthly cost budget exceeded"),
    TOO_MANY_STREAMS(429, "too_many_concurrent_streams", ErrorKind.RATE_LIMIT, "Too many concurrent streams for this key"),
    TOO_MANY_FAILED_AUTHENTICATIONS(429, "too_many_failed_authentications", ErrorKind.RATE_LIMIT, "Too many failed authentications"),
    OVERLOADED(429, "overloaded", ErrorKind.RATE_LIMIT, "Platform overloaded; retry later"),

    // --- the platform or what it depends on (5xx) ---
    INTERNAL_ERROR(500, "internal_error", ErrorKind.SERVER, "Internal error"),
    MODEL_FAILED(502, "model_failed", ErrorKind.SERVER, "The model provider failed"),
    UPSTREAM_FAILED(502, "upstream_failed", ErrorKind.SERVER, "Backend failed"),
    /** Shed at the door: this instance has as many requests in flight as it may; the same answer for every key. */
    SERVICE_BUSY(503, "service_busy", ErrorKind.SERVER, "Too many requests in flight; retry after the time given"),
    DEPENDENCY_UNAVAILABLE(503, "dependency_unavailable", ErrorKind.SERVER, "A platform dependency is unavailable"),
    MODEL_UNAVAILABLE(503, "model_unavailable", ErrorKind.SERVER, "No model could serve the request"),
    UPSTREAM_UNAVAILABLE(503, "upstream_unavailable", ErrorKind.SERVER, "Backend unavailable"),
    UPSTREAM_TIMEOUT(504, "upstream_timeout", ErrorKind.SERVER, "Backend timed out");

    /** Prefix of every problem's {@code type} URI. */
    public static final String TYPE_PREFIX = "urn:genai-platform:problem:";

    /** OpenAI's {@code error.type} values, so an OpenAI SDK maps the error to its own exception class. */
    public enum ErrorKind {
        INVALID_REQUEST("invalid_request_error"),
        AUTHENTICATION("authentication_error"),
        PERMISSION("permission_error"),
        RATE_LIMIT("rate_limit_error"),
        SERVER("server_error");

        private final String wireName;

        ErrorKind(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }
    }

    private final int status;
    private final String code;
    private final ErrorKind kind;
    private final String title;

    ProblemType(int status, String code, ErrorKind kind, String title) {
        this.status = status;
        this.code = code;
        this.kind = kind;
        this.title = title;
    }

    public int status() {
        return status;
    }

    /** The slug, also OpenAI's {@code error.code}. */
    public String code() {
        return code;
    }

    public ErrorKind kind() {
        return kind;
    }

    public String title() {
        return title;
    }

    /** The RFC 9457 {@code type} member. */
    public String type() {
        return TYPE_PREFIX + code;
    }

    public static Optional<ProblemType> ofCode(String code) {
        return Arrays.stream(values()).filter(p -> p.code.equals(code)).findFirst();
    }
}
