package dev.genaiplatform.orchestrator.agent;

import dev.genaiplatform.contracts.problem.ProblemType;

/** A request the agent API refuses, answered as a problem of {@code type}. */
class AgentException extends RuntimeException {

    private final ProblemType type;
    private final String param;

    AgentException(ProblemType type, String detail, String param) {
        super(detail);
        this.type = type;
        this.param = param;
    }

    ProblemType type() {
        return this.type;
    }

    String param() {
        return this.param;
    }
}
