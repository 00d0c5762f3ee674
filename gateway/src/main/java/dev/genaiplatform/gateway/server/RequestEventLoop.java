package dev.genaiplatform.gateway.server;

import java.util.concurrent.RejectedExecutionException;

import io.netty.channel.EventLoop;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;

import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.web.server.ServerWebExchange;

/**
 * Brings a request back to the event loop of its client's connection after a wait that answered on another thread.
 *
 * <p>A reactive chain goes on where its last signal came from. A chat completion's one Redis reply arrives on
 * Lettuce's thread; left there, the rest of the request (signing the token, the proxy call) ran on that thread, the
 * proxy's connection was on a third one, and the answer was written back from there to the client's loop: three
 * hand-overs, each a wake-up of a sleeping thread at rest. Resumed on the client's loop, with the proxy client on the
 * same loops ({@code GatewayConfiguration#proxyOnServerLoops}), the proxy call is made and its answer written from
 * the one loop: one hand-over instead of three (README, Benchmark, "Wave 11").
 */
public final class RequestEventLoop {

    private RequestEventLoop() {
    }

    /**
     * {@code waited}, its value delivered on the exchange's event loop; unchanged when the exchange has no Netty
     * connection (a test's mock exchange) or the value already arrives there. Errors are not moved.
     */
    public static <T> Mono<T> resume(ServerWebExchange exchange, Mono<T> waited) {
        return resumeOn(of(exchange), waited);
    }

    static <T> Mono<T> resumeOn(EventLoop loop, Mono<T> waited) {
        if (loop == null) {
            return waited;
        }
        return waited.flatMap(value -> loop.inEventLoop() ? Mono.just(value) : Mono.create(sink -> {
            try {
                loop.execute(() -> sink.success(value));
            }
            catch (RejectedExecutionException shuttingDown) {
                sink.success(value); // the loop is closing: go on here rather than never
            }
        }));
    }

    static EventLoop of(ServerWebExchange exchange) {
        try {
            Object request = ServerHttpRequestDecorator.getNativeRequest(exchange.getRequest());
            return request instanceof Connection connection ? connection.channel().eventLoop() : null;
        }
        catch (IllegalArgumentException | IllegalStateException notNetty) { // a decorator without one, or a mock
            return null;
        }
    }
}
