package dev.genaiplatform.retrieval.api;

import dev.genaiplatform.contracts.problem.ProblemType;

/** A request the API refuses, with the problem type and the parameter at fault (OpenAI's {@code param}). */
public class ApiException extends RuntimeException {

    private final ProblemType type;
    private final String param;

    public ApiException(ProblemType type, String message, String param) {
        super(message);
        this.type = type;
        this.param = param;
    }

    public ProblemType type() {
        return type;
    }

    public String param() {
        return param;
    }

    public static ApiException notFound(String what, String id) {
        return new ApiException(ProblemType.NOT_FOUND, "No " + what + " found with id '" + id + "'", null);
    }
}
