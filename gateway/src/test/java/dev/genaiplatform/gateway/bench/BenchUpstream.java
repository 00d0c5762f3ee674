package dev.genaiplatform.gateway.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.netty.channel.EventLoop;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.Connection;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * Not a test: the benchmark's stand-in backend, on Reactor Netty. The JDK's {@code HttpServer} it replaces (backlog
 * 1,024, a thread per exchange) lost 70-428 of 2,000 streams before their first byte in wave 6, which made the
 * direct baseline and the gateway's numbers unreadable; Netty accepts every connection and costs little per token.
 *
 * <p>A whole answer: a fixed chat completion with usage, and {@link StagesPhase#UPSTREAM_HEADER}'s two times. A
 * streamed one ({@code "stream":true} in the body): {@link StreamingPhase#TOKENS_HEADER} token events
 * {@link StreamingPhase#INTERVAL_HEADER} ms apart, each stamped with {@link System#nanoTime()} just before it is
 * written (the client shares this JVM's clock), then the usage chunk and {@code [DONE]}. A stream's timer runs on its
 * own connection's event loop, so a token is stamped and written on one thread, with no hand-over in between.
 */
final class BenchUpstream {

    static final byte[] ANSWER = ("{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"model\":\"sim-small\","
            + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"RAG grounds answers in "
            + "retrieved passages.\"},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":14,"
            + "\"completion_tokens\":8,\"total_tokens\":22}}").getBytes(StandardCharsets.UTF_8);

    private static final String TOKEN_EVENT_START = "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\","
            + "\"model\":\"sim-small\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\" token\"},\"finish_reason\":null}],"
            + "\"t\":";

    private final Map<EventLoop, Scheduler> loopSchedulers = new ConcurrentHashMap<>();

    private final DisposableServer server;

    BenchUpstream(int port) {
        this.server = HttpServer.create().host("127.0.0.1").port(port).handle(this::answer).bindNow();
    }

    int port() {
        return server.port();
    }

    void stop() {
        server.disposeNow(Duration.ofSeconds(5));
    }

    private Mono<Void> answer(HttpServerRequest request, HttpServerResponse response) {
        long in = System.nanoTime(); // the monotonic clock every process shares: StagesPhase's time line
        return request.receive().aggregate().asString().defaultIfEmpty("").flatMap(body -> {
            if (body.contains("\"stream\":true")) {
                return stream(request, response);
            }
            return response.header("Content-Type", "application/json")
                .header(StagesPhase.UPSTREAM_HEADER, "upstream-in=" + in + ";upstream-out=" + System.nanoTime())
                .sendByteArray(Mono.just(ANSWER)).then();
        });
    }

    private Mono<Void> stream(HttpServerRequest request, HttpServerResponse response) {
        int tokens = Integer.parseInt(request.requestHeaders().get(StreamingPhase.TOKENS_HEADER));
        int interval = Integer.parseInt(request.requestHeaders().get(StreamingPhase.INTERVAL_HEADER));
        Scheduler loop = schedulerOf(response);
        String usage = "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":14,\"completion_tokens\":" + tokens
                + ",\"total_tokens\":" + (14 + tokens) + "}}\n\ndata: [DONE]\n\n";
        Flux<String> events = Flux.interval(Duration.ofMillis(interval), loop).take(tokens)
            .map(tick -> TOKEN_EVENT_START + System.nanoTime() + "}\n\n")
            .concatWith(Mono.just(usage));
        return response.header("Content-Type", "text/event-stream").sendString(events).then();
    }

    private Scheduler schedulerOf(HttpServerResponse response) {
        EventLoop loop = ((Connection) response).channel().eventLoop();
        return loopSchedulers.computeIfAbsent(loop, Schedulers::fromExecutorService);
    }
}
