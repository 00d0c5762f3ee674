package dev.genaiplatform.simulator.faults;

import dev.genaiplatform.simulator.answer.ModelReply;
import dev.genaiplatform.simulator.answer.ResponseFormat;
import dev.genaiplatform.simulator.answer.SchemaViolation;
import dev.genaiplatform.simulator.serving.FinishReason;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import dev.genaiplatform.simulator.serving.Generation;
import dev.genaiplatform.simulator.tokens.TokenPiece;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The fault one chat completion gets (or none), as the handler applies it: some answer in the model's
 * place, some change how the answer ends, and the rest act on the wire ({@link FaultyResponse}). One
 * instance per request; the wire part reads what the answer part learned about the output's size.
 */
public final class ActiveFault {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    static final ActiveFault NONE = new ActiveFault(null, null, Duration.ZERO, Duration.ZERO, Duration.ZERO);

    private final Fault fault;
    private final String model;
    private final Duration defaultRetryAfter;
    private final Duration defaultFirstTokenDelay;
    private final Duration defaultTokenDelay;
    private volatile int outputPieces;

    ActiveFault(Fault fault, String model, Duration defaultRetryAfter, Duration defaultFirstTokenDelay,
                Duration defaultTokenDelay) {
        this.fault = fault;
        this.model = model;
        this.defaultRetryAfter = defaultRetryAfter;
        this.defaultFirstTokenDelay = defaultFirstTokenDelay;
        this.defaultTokenDelay = defaultTokenDelay;
    }

    /** True when the simulator answers instead of the model; then call {@link #answer}. */
    public boolean answersInsteadOfModel() {
        return is(FaultKind.Stage.INSTEAD_OF_ANSWER);
    }

    /** The HTTP status of that answer, for the request metrics; 0 for a hang, which never answers. */
    public int status() {
        return switch (fault.kind()) {
            case SERVER_ERROR -> 500;
            case BAD_GATEWAY -> 502;
            case UNAVAILABLE -> 503;
            case RATE_LIMIT_STORM -> 429;
            case CONTEXT_LENGTH_EXCEEDED -> 400;
            default -> 0;
        };
    }

    /** The answer in the model's place; a hang is a response that never comes and holds no thread. */
    public Mono<ServerResponse> answer(int promptTokens) {
        return switch (fault.kind()) {
            case SERVER_ERROR -> FaultResponses.serverError();
            case BAD_GATEWAY -> FaultResponses.badGateway();
            case UNAVAILABLE -> FaultResponses.unavailable(seconds(defaultRetryAfter));
            case RATE_LIMIT_STORM -> FaultResponses.rateLimitStorm(model, seconds(defaultRetryAfter));
            case CONTEXT_LENGTH_EXCEEDED -> FaultResponses.contextLengthExceeded(fault.parameter(), promptTokens);
            case HANG -> Mono.never();
            default -> throw new IllegalStateException(fault.kind().wireName() + " does not answer in the model's place");
        };
    }

    /**
     * The reply as the fault leaves it: {@code schema-violation} turns a {@code json_schema} answer into
     * JSON that fails the schema; every other reply (text, tool call, other faults) is left as it is.
     */
    public ModelReply rewrite(ModelReply reply, ResponseFormat format) {
        if (!is(FaultKind.Stage.IN_THE_CONTENT) || reply.isToolCall()
                || !(format instanceof ResponseFormat.JsonSchema schema)) {
            return reply;
        }
        JsonNode valid;
        try {
            valid = JSON.readTree(reply.content());
        } catch (JacksonException cutByAStopSequence) {
            return reply;
        }
        return SchemaViolation.of(schema.schema(), valid)
                .map(broken -> ModelReply.text(JSON.writeValueAsString(broken), reply.grounded()))
                .orElse(reply);
    }

    /**
     * The generation as the fault leaves it: {@code content-filter} and {@code length} keep the first
     * {@code parameter} tokens (default: half of them) and end with their finish reason; other faults
     * leave it as it is.
     */
    public Generation reshape(Generation generation) {
        if (fault == null) {
            return generation;
        }
        outputPieces = generation.output().size();
        if (!is(FaultKind.Stage.IN_THE_ANSWER)) {
            return generation;
        }
        int keep = fault.parameter() != null ? fault.parameter() : generation.completionTokens() / 2;
        List<TokenPiece> kept = new ArrayList<>();
        int used = 0;
        for (TokenPiece piece : generation.output()) {
            if (used + piece.tokens() > keep) {
                break;
            }
            kept.add(piece);
            used += piece.tokens();
        }
        FinishReason reason = fault.kind() == FaultKind.LENGTH ? FinishReason.LENGTH : FinishReason.CONTENT_FILTER;
        outputPieces = kept.size();
        return new Generation(generation.model(), generation.promptTokens(), kept, reason);
    }

    boolean isNone() {
        return fault == null;
    }

    FaultKind kind() {
        return fault.kind();
    }

    boolean onTheWire() {
        return is(FaultKind.Stage.ON_THE_WIRE);
    }

    Duration firstTokenDelay() {
        return fault.parameter() != null ? Duration.ofMillis(fault.parameter()) : defaultFirstTokenDelay;
    }

    /** The wait before each token of {@code slow-tokens}. */
    Duration tokenDelay() {
        return fault.parameter() != null ? Duration.ofMillis(fault.parameter()) : defaultTokenDelay;
    }

    /**
     * How long a whole answer of {@code slow-tokens} is held: one wait per token piece (at least one), what
     * its stream would have taken.
     */
    Duration wholeAnswerDelay() {
        return tokenDelay().multipliedBy(Math.max(1, outputPieces));
    }

    /**
     * The content chunk the wire fault acts at: the parameter, else the middle of the output (the first
     * chunk when the size is unknown or tiny); never past the last content chunk, so a cut always comes
     * before the finish reason and a broken chunk is always a content chunk.
     */
    int contentChunk() {
        int chunk = fault.parameter() != null ? fault.parameter() : Math.max(1, outputPieces / 2);
        return outputPieces > 0 ? Math.min(chunk, outputPieces) : chunk;
    }

    private Duration seconds(Duration fallback) {
        return fault.parameter() != null ? Duration.ofSeconds(fault.parameter()) : fallback;
    }

    private boolean is(FaultKind.Stage stage) {
        return fault != null && fault.kind().stage() == stage;
    }

    @Override
    public String toString() {
        return fault == null ? "none" : fault.kind().wireName();
    }
}
