package dev.genaiplatform.evaluation.api;

import dev.genaiplatform.contracts.problem.ProblemType;

/** A request the service refuses, with the platform problem that says why; {@link ApiProblems} renders it. */
public class ApiException extends RuntimeException {

    private final ProblemType problem;

    public ApiException(ProblemType problem, String detail) {
        super(detail);
        this.problem = problem;
    }

    public ProblemType problem() {
        return problem;
    }
}
