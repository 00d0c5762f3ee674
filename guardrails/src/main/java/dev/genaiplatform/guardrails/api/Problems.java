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
