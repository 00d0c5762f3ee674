package dev.genaiplatform.gateway.streaming;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;

import dev.genaiplatform.contracts.problem.ProblemType;
import io.netty.handler.timeout.ReadTimeoutException;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;

/**
 * A streamed answer that always ends properly: with the backend's own finish, or with an explicit OpenAI-shaped
 * error event ({@code data: {"error":{...}}}) followed by the normal end of the response. Without it, a backend that
 * dies, a connection that breaks, or a backend that falls silent would leave the client with a stream that just
 * stops; most SDKs (OpenAI's among them) read such an end as a complete answer, and a user is shown a truncated one
 * as if it were whole.
 *
 * <p>Four ways a started stream ends here: the backend's connection breaks ({@code upstream_failed}); its response
 * ends without the stream's finish, neither {@code [DONE]} nor an error event, which is how a break looks behind a
 * proxy or on a connection that is closed to end the body ({@code upstream_failed}); the backend stays silent past the
 * upstream idle timeout ({@code upstream_timeout}); the request's deadline passes while the stream is still open
 * ({@code upstream_timeout}). In the last two the backend is cancelled. The client going away is none of these: that
 * cancels the stream, and nothing is written.
 *
 * <p>Silence is timed here rather than left to Reactor Netty's read timeout (which stays, one second longer, as the
 * backstop for every other response): when that timeout's error was turned into the error event, the event went
 * out but the response's last chunk never did, and the client hung (the cause inside Reactor Netty was not found).
 * Cancelling the backend and then writing the event, as the deadline does, ends the response properly.
 *
 * <p>Only {@link #writeAndFlushWith} is decorated: it is what the proxy uses for {@code text/event-stream}. A
 * backend's JSON answer (a problem before the stream began) passes through {@link #writeWith} untouched. The events
 * arrive here whole (the budget's decorator, outside this one, forwards complete events only), so the error event
 * never lands inside a half-sent one; should a part not end on an event boundary, the error event is preceded by
 * the blank line that closes it.
 */
final class StreamEndingResponse extends ServerHttpResponseDecorator {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    static final byte[] BROKEN = event(ProblemType.UPSTREAM_FAILED,
            "The connection to the backend broke before the answer was complete; the text received so far is partial.");

    static final byte[] SILENT = event(ProblemType.UPSTREAM_TIMEOUT,
            "The backend fell silent for longer than the gateway waits between two events; the answer is incomplete.");

    static final byte[] PAST_DEADLINE = event(ProblemType.UPSTREAM_TIMEOUT,
            "The request's deadline passed before the answer was complete; the text received so far is partial.");

    static final byte[] UNFINISHED = event(ProblemType.UPSTREAM_FAILED,
            "The backend's stream ended without its finish ([DONE]); the text received so far is partial.");

    private static final byte[] DATA = "data:".getBytes(StandardCharsets.US_ASCII);

    private static final byte[] DONE = "[DONE]".getBytes(StandardCharsets.US_ASCII);

    /** Enough of the previous parts to hold the start of {@code data: [DONE]} or of an error event. */
    private static final int CARRIED_BYTES = 32;

    private static final byte[] ERROR = "{\"error\"".getBytes(StandardCharsets.US_ASCII);

    private final long deadlineNanos;

    private final Duration idleTimeout;

    /** When the last part arrived ({@link System#nanoTime()}). */
    private volatile long lastEventNanos;

    private final BiConsumer<ProblemType, Throwable> ended;

    /** Whether the last event that went out ends the stream ([DONE] or an error event). */
    private volatile boolean finished;

    /** The last two bytes that went out ("\n\n" at an event boundary); written and read in signal order. */
    private volatile byte lastByte = '\n';

    private volatile byte beforeLastByte = '\n';

    /**
     * The last bytes that went out before the current part: a part is one TCP read of the proxy, so an answer written
     * all at once (a cached one) can be split anywhere, even inside {@code data: [DONE]}; judging a part together
     * with what came just before it still finds that event's start. Written and read in signal order.
     */
    private volatile byte[] carried = new byte[0];

    /**
     * @param deadlineNanos {@link System#nanoTime()} past which an open stream is ended
     * @param idleTimeout how long the backend may stay silent between two parts
     * @param ended told how a stream ended with an error event (the code, and the failure if there was one)
     */
    StreamEndingResponse(ServerHttpResponse delegate, long deadlineNanos, Duration idleTimeout,
            BiConsumer<ProblemType, Throwable> ended) {
        super(delegate);
        this.deadlineNanos = deadlineNanos;
        this.idleTimeout = idleTimeout;
        this.ended = ended;
    }

    /**
     * The groups are flattened into one flux written with {@link #writeWith}: Reactor Netty then writes each buffer as
     * it comes and flushes whenever nothing more is queued, which for a stream of tokens arriving one by one is a
     * flush per token, as a group each would give. A group each cost, per token, a new subscription through every
     * operator of the write and a new send operation in Reactor Netty: most of the gateway's CPU per token in the
     * wave 14 profile. The proxy's groups are {@code Flux.just(buffer)}, which {@code concatMap} takes out without
     * subscribing to them.
     */
    @Override
    public Mono<Void> writeAndFlushWith(Publisher<? extends Publisher<? extends DataBuffer>> body) {
        lastEventNanos = System.nanoTime();
        AtomicReference<byte[]> cutWith = new AtomicReference<>();
        Mono<Long> deadline = Mono.delay(Duration.ofNanos(Math.max(0, deadlineNanos - System.nanoTime())))
            .doOnNext(tick -> cutWith.compareAndSet(null, PAST_DEADLINE));
        Mono<Boolean> silent = silence().doOnNext(tick -> cutWith.compareAndSet(null, SILENT));
        Flux<DataBuffer> events = Flux.from(body)
            .concatMap(Flux::<DataBuffer>from)
            .doOnNext(this::remember)
            .takeUntilOther(Mono.firstWithSignal(deadline, silent))
            .concatWith(Mono.defer(() -> {
                byte[] cut = cutWith.get();
                if (finished) { // the answer is whole: a backend that lingers or hangs up after it changes nothing
                    return Mono.empty();
                }
                return cut != null ? errorEvent(ProblemType.UPSTREAM_TIMEOUT, cut, null)
                        : errorEvent(ProblemType.UPSTREAM_FAILED, UNFINISHED, null);
            }))
            .onErrorResume(failure -> finished ? Mono.empty() : isSilence(failure)
                    ? errorEvent(ProblemType.UPSTREAM_TIMEOUT, SILENT, failure)
                    : errorEvent(ProblemType.UPSTREAM_FAILED, BROKEN, failure));
        return super.writeWith(events);
    }

    /**
     * Signals once no event has arrived for the idle timeout. One timer per stream at a time (it re-arms for what is
     * left when an event came meanwhile), not one per token: a token only writes a timestamp.
     */
    private Mono<Boolean> silence() {
        return Mono.defer(() -> {
            long left = idleTimeout.toNanos() - (System.nanoTime() - lastEventNanos);
            return left <= 0 ? Mono.just(true) : Mono.delay(Duration.ofNanos(left)).then(silence());
        });
    }

    /**
     * Notes the part's time, whether its last event finishes the stream, and its last bytes. The part is copied out
     * once (a few hundred bytes) and read as an array: reading it byte by byte through {@link DataBuffer#getByte}
     * (a bounds check, and on a direct buffer a memory-session check, per byte) showed under every token.
     */
    private void remember(DataBuffer part) {
        lastEventNanos = System.nanoTime();
        int length = part.readableByteCount();
        if (length == 0) {
            return;
        }
        byte[] before = carried;
        byte[] seen = new byte[before.length + length];
        System.arraycopy(before, 0, seen, 0, before.length);
        part.toByteBuffer(part.readPosition(), ByteBuffer.wrap(seen), before.length, length);
        finished = lastEventFinishes(seen, 0, seen.length);
        carried = Arrays.copyOfRange(seen, Math.max(0, seen.length - CARRIED_BYTES), seen.length);
        beforeLastByte = seen.length >= 2 ? seen[seen.length - 2] : lastByte;
        lastByte = seen[seen.length - 1];
    }

    private Mono<DataBuffer> errorEvent(ProblemType type, byte[] event, Throwable failure) {
        return Mono.fromSupplier(() -> {
            ended.accept(type, failure);
            if (lastByte == '\n' && beforeLastByte == '\n') {
                return bufferFactory().wrap(event);
            }
            byte[] closing = new byte[event.length + 2]; // ends the half-sent event first: never glued onto it
            closing[0] = '\n';
            closing[1] = '\n';
            System.arraycopy(event, 0, closing, 2, event.length);
            return bufferFactory().wrap(closing);
        });
    }

    /**
     * Whether the part's last event is {@code data: [DONE]} or an error event ({@code data: {"error"...}}, as the
     * orchestrator and OpenAI send it): the two ways a stream may end. Parts arrive as whole events, one token's event
     * nearly always, so this reads a few bytes of one event.
     */
    static boolean lastEventFinishes(byte[] part, int start, int end) {
        int last = end;
        while (last > start && part[last - 1] == '\n') {
            last--;
        }
        int eventStart = start;
        for (int i = last - 1; i > start; i--) {
            if (part[i] == '\n' && part[i - 1] == '\n') {
                eventStart = i + 1;
                break;
            }
        }
        if (!startsWith(part, eventStart, last, DATA)) {
            return false;
        }
        int value = eventStart + DATA.length;
        if (value < last && part[value] == ' ') {
            value++;
        }
        return startsWith(part, value, last, DONE) || startsWith(part, value, last, ERROR);
    }

    private static boolean startsWith(byte[] part, int from, int end, byte[] prefix) {
        if (end - from < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (part[from + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean isSilence(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ReadTimeoutException || t instanceof TimeoutException) {
                return true;
            }
        }
        return false;
    }

    /** {@code data: {"error":{"message","type","param","code"}}} and the blank line that ends the event. */
    static byte[] event(ProblemType type, String message) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("message", message);
        error.put("type", type.kind().wireName());
        error.put("param", null);
        error.put("code", type.code());
        return ("data: " + JSON.writeValueAsString(Map.of("error", error)) + "\n\n").getBytes(StandardCharsets.UTF_8);
    }
}
