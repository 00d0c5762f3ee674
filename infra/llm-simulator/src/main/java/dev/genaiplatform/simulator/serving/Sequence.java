package dev.genaiplatform.simulator.serving;

import dev.genaiplatform.simulator.tokens.TokenPiece;
import reactor.core.publisher.Sinks;

import java.util.List;

/**
 * One request inside a model's scheduler: what it will say, how much KV cache it holds, and how far it
 * has got. Touched only on the scheduler's thread.
 */
final class Sequence {

    final int promptTokens;
    final int reservedBlocks;
    final Sinks.Many<TokenPiece> sink = Sinks.many().unicast().onBackpressureBuffer();
    private final List<TokenPiece> output;

    long enqueuedAt;
    long lastEmittedAt = -1;
    /** Finished or cancelled: it holds no cache and emits nothing more. */
    boolean done;
    private int piece;
    private int tokensIntoPiece;

    Sequence(Generation generation, int reservedBlocks) {
        this.promptTokens = generation.promptTokens();
        this.output = generation.output();
        this.reservedBlocks = reservedBlocks;
    }

    /**
     * One decode step's token. Returns the piece it completes (most pieces are one token; an emoji of
     * three tokens completes on its third step), or null while a piece is still incomplete.
     */
    TokenPiece advance() {
        if (finished()) {
            return null;
        }
        TokenPiece current = output.get(piece);
        if (++tokensIntoPiece < current.tokens()) {
            return null;
        }
        piece++;
        tokensIntoPiece = 0;
        return current;
    }

    boolean finished() {
        return piece == output.size();
    }
}
