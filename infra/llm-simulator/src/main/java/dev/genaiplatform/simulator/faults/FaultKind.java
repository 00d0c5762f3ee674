package dev.genaiplatform.simulator.faults;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The ways the simulator can fail on purpose, named as they go in the {@code x-sim-fault} header and in
 * configuration. {@code docs/fault-kinds.md} describes each on the wire and what a client should do.
 */
public enum FaultKind {

    /** 500 with OpenAI's {@code server_error} body. */
    SERVER_ERROR("server-error", Stage.INSTEAD_OF_ANSWER, null),
    /** 502 with the HTML page a proxy in front of the provider sends, not JSON. */
    BAD_GATEWAY("bad-gateway", Stage.INSTEAD_OF_ANSWER, null),
    /** 503 "overloaded" with {@code Retry-After}; parameter: seconds to retry after. */
    UNAVAILABLE("unavailable", Stage.INSTEAD_OF_ANSWER, "seconds"),
    /** 429 {@code rate_limit_exceeded} with {@code Retry-After}, whatever the real limits say; parameter: seconds. */
    RATE_LIMIT_STORM("rate-limit-storm", Stage.INSTEAD_OF_ANSWER, "seconds"),
    /** The request is read and never answered; the connection stays open until the client gives up. */
    HANG("hang", Stage.INSTEAD_OF_ANSWER, null),
    /** OpenAI's 400 {@code context_length_exceeded}; parameter: the context window to report, in tokens. */
    CONTEXT_LENGTH_EXCEEDED("context-length-exceeded", Stage.INSTEAD_OF_ANSWER, "tokens"),
    /** The answer starts late; parameter: the extra delay in milliseconds. */
    SLOW_FIRST_TOKEN("slow-first-token", Stage.ON_THE_WIRE, "milliseconds"),
    /**
     * Every token comes late: each server-sent event after the role chunk (so the first token too) waits
     * this long, as a provider decoding slowly does; a whole answer comes after as long as its stream would
     * have taken. Parameter: the wait before each token in milliseconds.
     */
    SLOW_TOKENS("slow-tokens", Stage.ON_THE_WIRE, "milliseconds"),
    /** The connection closes mid-answer, with no {@code [DONE]}; parameter: content chunks sent first. */
    STREAM_CUT("stream-cut", Stage.ON_THE_WIRE, "chunks"),
    /** One {@code data:} event is not valid JSON; parameter: which content chunk (1 is the first). */
    MALFORMED_CHUNK("malformed-chunk", Stage.ON_THE_WIRE, "chunk"),
    /** The answer stops early with {@code finish_reason: "content_filter"}; parameter: tokens kept. */
    CONTENT_FILTER("content-filter", Stage.IN_THE_ANSWER, "tokens"),
    /** The answer stops early with {@code finish_reason: "length"}; parameter: tokens kept. */
    LENGTH("length", Stage.IN_THE_ANSWER, "tokens"),
    /**
     * A {@code json_schema} answer that is well-formed JSON but fails the schema (a required property
     * missing, or a value of the wrong type), for testing a client's validate-and-repair loop; other
     * answers are left as they are.
     */
    SCHEMA_VIOLATION("schema-violation", Stage.IN_THE_CONTENT, null);

    /** Where a fault takes effect. */
    enum Stage {
        /** The simulator answers in the model's place; no completion is generated. */
        INSTEAD_OF_ANSWER,
        /** The completion is generated but ends differently. */
        IN_THE_ANSWER,
        /** The completion says something else: its content is replaced before it is generated. */
        IN_THE_CONTENT,
        /** The completion is generated normally and damaged or delayed on its way out. */
        ON_THE_WIRE
    }

    private final String wireName;
    private final Stage stage;
    private final String parameterUnit;

    FaultKind(String wireName, Stage stage, String parameterUnit) {
        this.wireName = wireName;
        this.stage = stage;
        this.parameterUnit = parameterUnit;
    }

    public String wireName() {
        return wireName;
    }

    Stage stage() {
        return stage;
    }

    boolean takesParameter() {
        return parameterUnit != null;
    }

    static Optional<FaultKind> byWireName(String name) {
        return Arrays.stream(values()).filter(kind -> kind.wireName.equals(name)).findFirst();
    }

    static String wireNames() {
        return Arrays.stream(values()).map(FaultKind::wireName).collect(Collectors.joining(", "));
    }
}
