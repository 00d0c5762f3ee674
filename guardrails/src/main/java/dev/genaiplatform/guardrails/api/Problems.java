package dev.genaiplatform.guardrails.api;

import dev.genaiplatform.contracts.problem.ProblemType;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one shape of every error this service answers: RFC 9457 {@code application/problem+json} with
 * {@code type = ProblemType.TYPE_PREFIX + code} and an OpenAI-shaped {@code error} member.
 */
public final class Problems {

    private Problems() {
    }

    /**
     * The same document as a plain map, for writers outside Spring MVC's message converters (the security
     * filter chain), whose JSON mapper does not know {@link ProblemDetail}'s extra-properties mix-in.
     */
    public static Map<String, Object> asMap(ProblemType type, String detail, String param, String instance) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", type.type());
        body.put("title", type.title());
        body.put("status", type.status());
        body.put("detail", detail);
        body.put("instance", instance);
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("message", detail);
        error.put("type", type.kind().wireName());
        error.put("code", type.code());
        error.put("param", param);
        body.put("error", error);
        return body;
    }

    public static ProblemDetail of(ProblemType type, String detail, String param, String instance) {
        ProblemDetail body = ProblemDetail.forStatusAndDetail(HttpStatus.valueOf(type.status()), detail);
        body.setType(URI.create(type.type()));
        body.setTitle(type.title());
        if (instance != null) {
            body.setInstance(URI.create(instance));
        }
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("message", detail);
        error.put("type", type.kind().wireName());
        error.put("code", type.code());
        error.put("param", param);
        body.setProperty("error", error);
        return body;
    }
}
