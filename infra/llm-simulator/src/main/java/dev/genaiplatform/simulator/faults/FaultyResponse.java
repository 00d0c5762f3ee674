package dev.genaiplatform.simulator.faults;

import io.netty.channel.Channel;
import org.reactivestreams.Publisher;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerResponse;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The response as it leaves the server, damaged by the wire faults. A streamed completion arrives here
 * as one buffer per server-sent event (the role chunk, then one per content chunk, ...), an
 * {@code text/event-stream} body; a whole completion as one JSON body. Without an active wire fault
 * everything passes through untouched.
 *
 * <ul>
 *   <li>{@code slow-first-token}: nothing, not even the status line, leaves before the delay.</li>
 *   <li>{@code slow-tokens}: every event after the role chunk waits the delay before it leaves (the
 *       first token too), so the stream trickles; a whole completion leaves after one delay per token.</li>
 *   <li>{@code stream-cut}: the role chunk and {@code n} content chunks go out, then the connection is
 *       closed: no finish reason, no {@code [DONE]}, no end of the chunked body. A whole completion is
 *       closed halfway through its {@code Content-Length}.</li>
 *   <li>{@code malformed-chunk}: content chunk {@code n} is replaced by its first half, which is not valid
 *       JSON; the stream then goes on normally. A whole completion's JSON is cut in half (with a
 *       matching {@code Content-Length}).</li>
 * </ul>
 */
final class FaultyResponse extends ServerHttpResponseDecorator {

    private final Supplier<ActiveFault> fault;

    FaultyResponse(ServerHttpResponse delegate, Supplier<ActiveFault> fault) {
        super(delegate);
        this.fault = fault;
    }

    @Override
    public Mono<Void> writeWith(Publisher<? extends DataBuffer> body) {
        ActiveFault active = fault.get();
        if (!damages(active)) {
            return super.writeWith(body);
        }
        if (MediaType.TEXT_EVENT_STREAM.isCompatibleWith(getHeaders().getContentType())) {
            // each buffer is one event: damaged event by event, each flushed on its own
            return writeAndFlushWith(Flux.from(body).map(Mono::just));
        }
        return switch (active.kind()) {
            case SLOW_FIRST_TOKEN -> Mono.delay(active.firstTokenDelay()).then(Mono.defer(() -> super.writeWith(body)));
            case SLOW_TOKENS -> Mono.delay(active.wholeAnswerDelay()).then(Mono.defer(() -> super.writeWith(body)));
            case STREAM_CUT -> DataBufferUtils.join(body).flatMap(whole -> {
                // the Content-Length of the whole body is already set: the client waits for bytes that never come
                DataBuffer half = whole.split(whole.readableByteCount() / 2);
                DataBufferUtils.release(whole);
                return super.writeWith(Mono.just(half)).then(closeConnection());
            });
            case MALFORMED_CHUNK -> DataBufferUtils.join(body).flatMap(whole -> {
                DataBuffer half = whole.split(whole.readableByteCount() / 2);
                DataBufferUtils.release(whole);
                getHeaders().setContentLength(half.readableByteCount());
                return super.writeWith(Mono.just(half));
            });
            default -> super.writeWith(body);
        };
    }

    @Override
    public Mono<Void> writeAndFlushWith(Publisher<? extends Publisher<? extends DataBuffer>> body) {
        ActiveFault active = fault.get();
        if (!damages(active)) {
            return super.writeAndFlushWith(body);
        }
        return switch (active.kind()) {
            case SLOW_FIRST_TOKEN -> super.writeAndFlushWith(Mono.delay(active.firstTokenDelay()).thenMany(body));
            // event 0 is the role chunk; each later one (tokens, finish, usage, [DONE]) waits on a timer, no thread held
            case SLOW_TOKENS -> super.writeAndFlushWith(Flux.from(body).index().concatMap(event -> event.getT1() == 0
                    ? Mono.just(event.getT2())
                    : Mono.delay(active.tokenDelay()).thenReturn(event.getT2()), 1));
            // the role chunk is event 0, so n content chunks are events 0..n
            case STREAM_CUT -> super.writeAndFlushWith(Flux.from(body).take(active.contentChunk() + 1L))
                    .then(closeConnection());
            case MALFORMED_CHUNK -> super.writeAndFlushWith(Flux.from(body).index()
                    .map(event -> event.getT1() == active.contentChunk() ? broken(event.getT2()) : event.getT2()));
            default -> super.writeAndFlushWith(body);
        };
    }

    /** Only answers are damaged: an error the request earned on its own (a 400, say) goes out intact. */
    private boolean damages(ActiveFault active) {
        return active != null && active.onTheWire() && getStatusCode() != null && getStatusCode().is2xxSuccessful();
    }

    /** The event's {@code data:} line cut in half: what a client gets when a proxy or server mangles a chunk. */
    private Publisher<DataBuffer> broken(Publisher<? extends DataBuffer> event) {
        return DataBufferUtils.join(event).map(buffer -> {
            String text = buffer.toString(StandardCharsets.UTF_8).stripTrailing();
            DataBufferUtils.release(buffer);
            String half = text.substring(0, text.length() / 2) + "\n\n";
            return bufferFactory().wrap(half.getBytes(StandardCharsets.UTF_8));
        });
    }

    /**
     * Closes the TCP connection once what was written is flushed, the way a crashed upstream does. The
     * channel is taken now, before the write: once a whole response counts as sent, Reactor Netty hands out
     * a stand-in for it, and closing that would leave the real connection open for the next request.
     */
    private Mono<Void> closeConnection() {
        Object nativeResponse = getNativeResponse(getDelegate());
        if (!(nativeResponse instanceof HttpServerResponse netty)) {
            return Mono.error(new IllegalStateException("stream-cut needs the Reactor Netty server"));
        }
        AtomicReference<Channel> channel = new AtomicReference<>();
        netty.withConnection(connection -> channel.set(connection.channel()));
        return Mono.create(sink -> channel.get().close().addListener(closed -> sink.success()));
    }
}
