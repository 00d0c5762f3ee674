package dev.genaiplatform.gateway;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A stand-in for the orchestrator and the platform APIs, on the JDK's HTTP server. It records every
 * request and behaves as the {@value #BEHAVIOUR} request header says (the gateway forwards it like any
 * header): answer JSON (default), stream server-sent events one at a time when the test allows the
 * next, stall, answer too late, or answer with its own error; or hang up as a dying process does, before its
 * headers or after a few events ({@code cut-before-headers}, {@code stream-cut}).
 */
final class FakeBackend implements AutoCloseable {

    static final String BEHAVIOUR = "X-Fake-Behaviour";

    static final List<String> STREAM_EVENTS = List.of(
            "{\"choices\":[{\"delta\":{\"content\":\"Hel\"}}]}",
            "{\"choices\":[{\"delta\":{\"content\":\"lo\"}}]}",
            "[DONE]");

    static final String USAGE_EVENT = "{\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":2,\"total_tokens\":11}}";

    static final String BACKEND_PROBLEM =
            "{\"type\":\"urn:backend:problem:refused\",\"title\":\"Refused by backend\",\"status\":422}";

    private final HttpServer server;

    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();

    private final BlockingQueue<Boolean> nextEventAllowed = new LinkedBlockingQueue<>();

    /** Requests with behaviour {@code hold} wait on this until the test releases them (or 30 s). */
    private volatile CountDownLatch hold = new CountDownLatch(0);

    private final AtomicInteger holding = new AtomicInteger();

    FakeBackend() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 2048); // room for a thousand connections at once
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The next request the backend received; fails the test if none arrives. */
    Received takeReceived() throws InterruptedException {
        Received next = received.poll(10, TimeUnit.SECONDS);
        if (next == null) {
            throw new AssertionError("the backend received no request");
        }
        return next;
    }

    boolean receivedNothing() {
        return received.isEmpty();
    }

    void reset() {
        received.clear();
        nextEventAllowed.clear();
    }

    /** From now on, requests with behaviour {@code hold} wait until {@link #releaseHeld()}. */
    void holdRequests() {
        hold = new CountDownLatch(1);
    }

    void releaseHeld() {
        hold.countDown();
    }

    /** How many {@code hold} requests are waiting right now. */
    int holding() {
        return holding.get();
    }

    /** Lets a stepwise stream send its next event. */
    void allowNextEvent() {
        nextEventAllowed.add(Boolean.TRUE);
    }

    private void handle(HttpExchange exchange) throws IOException {
        boolean cut = false;
        try {
            byte[] body = exchange.getRequestBody().readAllBytes();
            Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            headers.putAll(exchange.getRequestHeaders());
            received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), headers,
                    new String(body, StandardCharsets.UTF_8)));
            String requestId = exchange.getRequestHeaders().getFirst("X-Request-Id");
            if (requestId != null) {
                exchange.getResponseHeaders().set("X-Request-Id", requestId); // echoed, as many services do
            }
            String behaviour = String.valueOf(exchange.getRequestHeaders().getFirst(BEHAVIOUR)).toLowerCase(Locale.ROOT);
            switch (behaviour) {
                case "stream-stepwise" -> streamStepwise(exchange);
                case "stream-tokens" -> streamTokens(exchange);
                case "hold" -> {
                    holding.incrementAndGet();
                    try {
                        hold.await(30, TimeUnit.SECONDS);
                    }
                    finally {
                        holding.decrementAndGet();
                    }
                    respond(exchange, 200, "application/json", "{\"id\":\"chatcmpl-held\",\"object\":\"chat.completion\"}");
                }
                case "stall" -> stall(exchange);
                case "slow" -> pause(30);
                case "problem" -> respond(exchange, 422, "application/problem+json", BACKEND_PROBLEM);
                case "usage" -> respond(exchange, 200, "application/json", "{\"id\":\"chatcmpl-test\",\"object\":\"chat.completion\","
                        + "\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":7,\"total_tokens\":12}}");
                case "stream-usage" -> streamWithUsage(exchange);
                case "stream-cut" -> {
                    cut = true;
                    streamChunks(exchange, 2, 0);
                    throw new ConnectionCut();
                }
                case "cut-before-headers" -> {
                    cut = true;
                    throw new ConnectionCut();
                }
                case "stream-endless" -> streamChunks(exchange, 150, 200);
                case "stream-unfinished" -> streamChunks(exchange, 2, 0); // a clean end of the body, but no [DONE]
                case "stream-complete" -> {
                    streamChunks(exchange, 3, 0);
                    exchange.getResponseBody().write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
                }
                default -> respond(exchange, 200, "application/json",
                        "{\"id\":\"chatcmpl-test\",\"object\":\"chat.completion\",\"path\":\""
                                + exchange.getRequestURI().getPath() + "\"}");
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        finally {
            if (!cut) {
                exchange.close();
            }
        }
    }

    /**
     * Thrown out of the handler without closing the exchange: the JDK's server then closes the socket as it is,
     * with no end chunk, the way a backend process that dies mid-answer leaves its connections.
     */
    private static final class ConnectionCut extends IOException {

        ConnectionCut() {
            super("connection cut on purpose");
        }
    }

    /** {@code count} complete chat.completion.chunk events (an SDK can parse them), {@code intervalMillis} apart. */
    private static void streamChunks(HttpExchange exchange, int count, int intervalMillis)
            throws IOException, InterruptedException {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                Thread.sleep(intervalMillis);
            }
            out.write(("data: " + chunk("t" + i + " ") + "\n\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        }
    }

    /** A chat.completion.chunk as OpenAI sends it, carrying {@code content}. */
    static String chunk(String content) {
        return "{\"id\":\"chatcmpl-fake\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"sim-small\","
                + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + content + "\"},\"finish_reason\":null}]}";
    }

    /**
     * Sends an event, then waits until the test has seen it before sending the next. A gateway that
     * buffered the stream would hold back the first event, the test would never allow the second, and
     * the backend gives up and hangs up: the test fails instead of passing late.
     */
    private void streamStepwise(HttpExchange exchange) throws IOException, InterruptedException {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        for (int i = 0; i < STREAM_EVENTS.size(); i++) {
            if (i > 0 && nextEventAllowed.poll(10, TimeUnit.SECONDS) == null) {
                return;
            }
            out.write(("data: " + STREAM_EVENTS.get(i) + "\n\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        }
    }

    /**
     * A model answering token by token: {@value #TOKENS_HEADER} content chunks (default 20) each
     * {@value #TOKEN_INTERVAL_HEADER} ms apart (default 20), then the usage chunk and {@code [DONE]}.
     */
    private static void streamTokens(HttpExchange exchange) throws IOException, InterruptedException {
        int tokens = headerInt(exchange, TOKENS_HEADER, 20);
        int intervalMillis = headerInt(exchange, TOKEN_INTERVAL_HEADER, 20);
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        for (int i = 0; i < tokens; i++) {
            Thread.sleep(intervalMillis);
            out.write(("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"t" + i + " \"}}]}\n\n")
                .getBytes(StandardCharsets.UTF_8));
            out.flush();
        }
        for (String event : List.of(USAGE_EVENT, "[DONE]")) {
            out.write(("data: " + event + "\n\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        }
    }

    static final String TOKENS_HEADER = "X-Fake-Tokens";

    static final String TOKEN_INTERVAL_HEADER = "X-Fake-Token-Interval-Ms";

    private static int headerInt(HttpExchange exchange, String name, int otherwise) {
        String value = exchange.getRequestHeaders().getFirst(name);
        return value == null ? otherwise : Integer.parseInt(value);
    }

    /** Content chunks, then the usage chunk OpenAI sends when include_usage is set (no choices), then [DONE]. */
    private static void streamWithUsage(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        for (String event : List.of(STREAM_EVENTS.get(0), STREAM_EVENTS.get(1), USAGE_EVENT, "[DONE]")) {
            out.write(("data: " + event + "\n\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        }
    }

    private void stall(HttpExchange exchange) throws IOException, InterruptedException {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        out.write(("data: " + STREAM_EVENTS.get(0) + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        pause(30);
    }

    private static void pause(int seconds) throws InterruptedException {
        Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
    }

    private static void respond(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    record Received(String method, String path, Map<String, List<String>> headers, String body) {

        List<String> header(String name) {
            return headers.getOrDefault(name, List.of());
        }
    }
}
