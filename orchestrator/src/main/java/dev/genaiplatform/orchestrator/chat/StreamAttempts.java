package dev.genaiplatform.orchestrator.chat;

import org.springframework.ai.chat.model.ChatResponse;

import java.util.function.IntFunction;

/**
 * Which attempt of a streamed answer may still reach the client, and the answer state of the attempt being read.
 *
 * <p>A stream is committed when text reached the client, not when the model produced it: the output check holds
 * the first words back until a window is full, and a provider that breaks off before that leaves the client with
 * nothing, so the resilience layer may still retry or fall back, exactly as for a whole answer. Each attempt then
 * starts from a fresh accumulator and a fresh output check, so a broken attempt's words never mix with the next
 * one's.
 *
 * <p>The race this class closes: the resilience layer decides about a failed attempt on the model's thread while
 * the attempt's last pieces may still be in the output check on another thread. {@link #giveUpUnlessCommitted}
 * and {@link #release} take the same lock, so either the text went out first (the attempt is committed: error
 * event) or the attempt was given up first (its late pieces are dropped, the next attempt answers).
 *
 * @param <S> the state of one attempt (accumulator and output check)
 */
final class StreamAttempts<S> {

    /** One model chunk and the number of the attempt that produced it (1, 2, …). */
    record Piece(int attempt, ChatResponse response) {
    }

    private final IntFunction<S> freshState;
    private int started;
    private int givenUpTo;
    private boolean committed;
    private int stateOf;
    private S state;

    StreamAttempts(IntFunction<S> freshState) {
        this.freshState = freshState;
        this.state = freshState.apply(0);
    }

    /** Called when an attempt starts; returns its number for tagging its pieces. */
    synchronized int start() {
        return ++this.started;
    }

    /**
     * The state for a piece of {@code attempt}: a fresh one when the attempt changed. Pieces arrive in order, all
     * of one attempt before the next one's, so only the stream's own (sequential) processing calls this.
     */
    synchronized S stateFor(int attempt) {
        if (attempt != this.stateOf) {
            this.stateOf = attempt;
            this.state = this.freshState.apply(attempt);
        }
        return this.state;
    }

    /** The state of the last attempt once the model is done (fresh if the last attempt produced nothing). */
    synchronized S last() {
        return stateFor(this.started);
    }

    /** Whether pieces of {@code attempt} are still worth processing. */
    synchronized boolean live(int attempt) {
        return attempt > this.givenUpTo;
    }

    /** Text of {@code attempt} is about to be sent: false if the attempt was given up (send nothing). */
    synchronized boolean release(int attempt) {
        if (attempt <= this.givenUpTo) {
            return false;
        }
        this.committed = true;
        return true;
    }

    /** For the resilience layer, after a failed attempt: true if text already went out, else every attempt so far is given up. */
    synchronized boolean giveUpUnlessCommitted() {
        if (this.committed) {
            return true;
        }
        this.givenUpTo = this.started;
        return false;
    }
}
