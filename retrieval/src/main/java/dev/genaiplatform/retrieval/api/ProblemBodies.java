package dev.genaiplatform.retrieval.api;

import dev.genaiplatform.contracts.problem.ProblemType;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/** The platform's problem document: RFC 9457 fields from a {@link ProblemType} plus OpenAI's {@code error} member. */
public final class ProblemBodies {

    private ProblemBodies() {
    }

    public static ProblemDetail of(ProblemType type, String detail, String param, String instance) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatusCode.valueOf(type.status()), detail);
        decorate(problem, type, param);
        if (instance != null) {
            problem.setInstance(URI.create(instance));
        }
        return problem;
    }

    static void decorate(ProblemDetail problem, ProblemType type, String param) {
        problem.setType(URI.create(type.type()));
        problem.setTitle(type.title());
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("message", problem.getDetail());
        error.put("type", type.kind().wireName());
        error.put("code", type.code());
        error.put("param", param);
        problem.setProperty("error", error);
    }
}
