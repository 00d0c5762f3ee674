package dev.genaiplatform.orchestrator.agent;

import dev.genaiplatform.contracts.problem.ProblemType;

/** A request the agent API refuses, answered as a problem of {@code type}. */
class AgentException extends RuntimeException {

    private final ProblemType type;
    private final String param;
    private final java.util.Map<String, Object> properties;

    AgentException(ProblemType type, String detail, String param) {
        this(type, detail, param, java.util.Map.of());
    }

    /** @param properties extra members of the problem body, e.g. {@code findings} of an {@code input_blocked} */
    AgentException(ProblemType type, String detail, String param, java.util.Map<String, Object> properties) {
        super(detail);
        this.type = type;
        this.param = param;
        this.properties = java.util.Map.copyOf(properties);
    }

    java.util.Map<String, Object> properties() {
        return this.properties;
    }

    ProblemType type() {
        return this.type;
    }

    String param() {
        return this.param;
    }
}
