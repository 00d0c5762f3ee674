package dev.genaiplatform.gateway.problem;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.genaiplatform.contracts.problem.ProblemType;

import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * Builds the gateway's answers from the platform's one problem vocabulary ({@link ProblemType} in
 * contracts): an RFC 9457 problem whose {@code type} is the contract's URN, plus the OpenAI-shaped
 * {@code error} member so OpenAI SDKs show the message. The gateway has no codes of its own.
 */
public final class Problems {

    private Problems() {
    }

    /** The problem as an exception a filter can signal; {@link ProblemDetailExceptionHandler} renders it. */
    public static ErrorResponseException exception(ProblemType type, String detail) {
        return exception(type, detail, null);
    }

    /** @param param the request parameter at fault, as OpenAI names it (e.g. {@code messages[0].content}) */
    public static ErrorResponseException exception(ProblemType type, String detail, String param) {
        return new ErrorResponseException(HttpStatusCode.valueOf(type.status()), problem(type, detail, param), null);
    }

    public static ProblemDetail problem(ProblemType type, String detail, String param) {
        ProblemDetail problem = ProblemDetail.forStatus(type.status());
        problem.setDetail(detail);
        problem.setType(URI.create(type.type()));
        problem.setTitle(type.title());
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("message", detail);
        error.put("type", type.kind().wireName());
        error.put("param", param);
        error.put("code", type.code());
        problem.setProperty("error", error);
        return problem;
    }

    /** The contract's type for a status Spring raised on its own (no route, wrong method, ...). */
    static ProblemType forStatus(int status) {
        return switch (status) {
            case 400 -> ProblemType.INVALID_VALUE;
            case 401 -> ProblemType.INVALID_API_KEY;
            case 403 -> ProblemType.INSUFFICIENT_SCOPE;
            case 404 -> ProblemType.NOT_FOUND;
            case 405 -> ProblemType.METHOD_NOT_ALLOWED;
            case 408 -> ProblemType.REQUEST_TIMEOUT;
            case 409 -> ProblemType.CONFLICT;
            case 413 -> ProblemType.REQUEST_TOO_LARGE;
            case 415 -> ProblemType.UNSUPPORTED_MEDIA_TYPE;
            case 429 -> ProblemType.RATE_LIMIT_EXCEEDED;
            case 502 -> ProblemType.UPSTREAM_FAILED;
            case 503 -> ProblemType.UPSTREAM_UNAVAILABLE;
            case 504 -> ProblemType.UPSTREAM_TIMEOUT;
            default -> status >= 400 && status < 500 ? ProblemType.INVALID_VALUE : ProblemType.INTERNAL_ERROR;
        };
    }
}
