package dev.genaiplatform.tools.api;

import dev.genaiplatform.contracts.problem.ProblemType;

/** An error the API answers with a problem document of that type. */
final class ApiProblem extends RuntimeException {

    private final transient ProblemType type;

    ApiProblem(ProblemType type, String detail) {
        super(detail, null, false, false);
        this.type = type;
    }

    ProblemType type() {
        return type;
    }
}
