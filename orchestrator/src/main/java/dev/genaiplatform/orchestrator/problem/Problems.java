package dev.genaiplatform.orchestrator.problem;

import dev.genaiplatform.contracts.problem.ProblemType;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one shape of every error this service answers: RFC 9457 {@code application/problem+json} with
 * {@code type} from the platform's {@link ProblemType} vocabulary and an OpenAI-shaped {@code error} member,
 * so both problem-aware clients and OpenAI SDKs read it. Never a stack trace.
 */
public final class Problems {

    private Problems() {
    }

    public static ProblemDetail of(ProblemType type, String detail, String param, String instance) {
        ProblemDetail body = ProblemDetail.forStatusAndDetail(HttpStatusCode.valueOf(type.status()), detail);
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

    /** The flat JSON members of a problem, for writers that bypass Spring's message codecs (security filters). */
    public static Map<String, Object> members(ProblemDetail problem) {
        Map<String, Object> members = new LinkedHashMap<>();
        members.put("type", problem.getType().toString());
        members.put("title", problem.getTitle());
        members.put("status", problem.getStatus());
        members.put("detail", problem.getDetail());
        if (problem.getInstance() != null) {
            members.put("instance", problem.getInstance().toString());
        }
        if (problem.getProperties() != null) {
            members.putAll(problem.getProperties());
        }
        return members;
    }
}
