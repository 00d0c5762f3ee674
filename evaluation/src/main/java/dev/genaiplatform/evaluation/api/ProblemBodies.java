package dev.genaiplatform.evaluation.api;

import dev.genaiplatform.contracts.problem.ProblemType;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The platform's problem shape (ADR 0004): RFC 9457 fields with {@code type} from {@link ProblemType}, plus an
 * OpenAI-shaped {@code error} member so OpenAI SDKs show the message. Used by the MVC handler and by the
 * security entry points, so a 401 from Spring Security reads like any other error.
 */
public final class ProblemBodies {

    private ProblemBodies() {
    }

    public static ProblemDetail of(ProblemType type, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatusCode.valueOf(type.status()), detail);
        problem.setType(URI.create(type.type()));
        problem.setTitle(type.title());
        problem.setProperty("error", error(type, detail));
        return problem;
    }

    /** The same problem as a plain map, for code that writes the response body itself. */
    public static Map<String, Object> asMap(ProblemType type, String detail) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", type.type());
        body.put("title", type.title());
        body.put("status", type.status());
        body.put("detail", detail);
        body.put("error", error(type, detail));
        return body;
    }

    private static Map<String, Object> error(ProblemType type, String detail) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("message", detail);
        error.put("type", type.kind().wireName());
        error.put("code", type.code());
        error.put("param", null);
        return error;
    }
}
