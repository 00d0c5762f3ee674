package dev.genaiplatform.orchestrator.chat;

import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.http.codec.ServerSentEvent;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

import java.util.List;

/**
 * The chat flow's work on each chunk of a streamed answer: into the attempt's accumulator, through its output check,
 * out as server-sent events once released.
 *
 * <p>Where that work runs: an output check that asks guardrails waits for a Kafka reply, so that chunk moves to a
 * virtual thread and never blocks the stream's own thread. Every other chunk (all but one per output window) is
 * handled on the thread that delivered it: until wave 9 every chunk made that
 * hop, a task, a virtual thread and a context switch each (README, Benchmark, "Wave 10"). The default 64-character
 * window is about a dozen tokens, so one chunk in a dozen still moves.
 */
final class StreamedPieces {

    /** One attempt's answer as the model gives it, and its output check (null when output checks are off). */
    record AttemptState(AnswerAccumulator answer, AnswerOutputCheck output) {

        boolean blocked() {
            return this.output != null && this.output.blocked();
        }
    }

    private final StreamAttempts<AttemptState> attempts;
    private final AnswerEvents writer;
    private final Runnable onRelease;
    private final StringBuilder shown = new StringBuilder();

    /**
     * @param onRelease called each time text or a tool call goes to the client (marks the stream committed and
     *                  the first token's time)
     */
    StreamedPieces(StreamAttempts<AttemptState> attempts, AnswerEvents writer, Runnable onRelease) {
        this.attempts = attempts;
        this.writer = writer;
        this.onRelease = onRelease;
    }

    /**
     * The events of each model chunk, in order; a chunk whose output check asks guardrails is handled on
     * {@code checks}. One chunk is requested at a time, on purpose: with a prefetch, a provider's error (a cut stream)
     * overtook the chunks still queued, so the resilience layer saw an attempt fail before its words reached the client
     * and retried it, where the client should get those words and an error event (measured: a prefetch of 32 saved
     * about 1.5 ms of CPU per answer; {@code AnswerTraceIT} failed with it).
     */
    Flux<List<ServerSentEvent<String>>> events(Flux<StreamAttempts.Piece> answer, Scheduler checks) {
        return answer.concatMap(tagged -> asksGuardrails(tagged)
                ? Mono.fromCallable(() -> accept(tagged)).subscribeOn(checks)
                : Mono.fromCallable(() -> accept(tagged)));
    }

    /**
     * Whether handling this chunk may call guardrails: its output check would fill a window. Errs on the side of
     * true; asked before the chunk is handled, on the same sequence of chunks, so it sees the state {@link #accept}
     * will see.
     */
    boolean asksGuardrails(StreamAttempts.Piece tagged) {
        if (!this.attempts.live(tagged.attempt())) {
            return false;
        }
        AnswerOutputCheck output = this.attempts.stateFor(tagged.attempt()).output();
        return output != null && output.wouldCheck(textOf(tagged.response()));
    }

    /** One chunk: accumulated, checked, and the events it releases (often none: held back for the output check). */
    List<ServerSentEvent<String>> accept(StreamAttempts.Piece tagged) {
        if (!this.attempts.live(tagged.attempt())) {
            return List.of();   // an attempt given up for the next one
        }
        AttemptState state = this.attempts.stateFor(tagged.attempt());
        AnswerOutputCheck output = state.output();
        AnswerAccumulator.Piece piece = state.answer().accept(tagged.response());
        if (piece.isEmpty()) {
            return List.of();
        }
        String text = piece.text() == null || output == null ? piece.text() : output.accept(piece.text());
        AnswerAccumulator.Piece released = new AnswerAccumulator.Piece(text, piece.toolCalls());
        // committed only once text reaches the client: until then a broken attempt is retried or replaced like a
        // whole answer (the output check may hold the first words back)
        if (released.isEmpty() || !this.attempts.release(tagged.attempt())) {
            return List.of();
        }
        this.onRelease.run();
        if (text != null) {
            this.shown.append(text);
        }
        return this.writer.piece(released);
    }

    /** The output check's last words, released once the model is done. */
    List<ServerSentEvent<String>> tail(String tail) {
        if (tail.isEmpty()) {
            return List.of();
        }
        this.onRelease.run();
        this.shown.append(tail);
        return this.writer.piece(new AnswerAccumulator.Piece(tail, List.of()));
    }

    /** The text the client got so far. */
    String shownText() {
        return this.shown.toString();
    }

    private static String textOf(ChatResponse response) {
        Generation generation = response.getResult();
        return generation == null ? null : generation.getOutput().getText();
    }
}
