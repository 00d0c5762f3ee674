package dev.genaiplatform.evaluation.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.genaiplatform.evaluation.runs.RecordedAnswers;
import dev.genaiplatform.evaluation.scoring.SavedPassages;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP server that plays the gateway from fixtures recorded against the running platform
 * ({@code evaluation/evaluate.sh golden --record ...}): the same request body gets the same status and body it
 * got then. A request that was never recorded gets a 404 problem, so a test cannot pass on an answer nobody saw.
 * Requests without a bearer key get a 401, as from the real gateway.
 */
public final class ReplayGateway implements AutoCloseable {

    private final HttpServer server;
    private final Map<String, JsonNode> exchanges = new ConcurrentHashMap<>();
    private final AtomicInteger calls = new AtomicInteger();

    public ReplayGateway(String... fixtures) {
        for (String fixture : fixtures) {
            try (InputStream in = ReplayGateway.class.getResourceAsStream("/fixtures/" + fixture)) {
                if (in == null) {
                    throw new IllegalArgumentException("no fixture " + fixture);
                }
                for (JsonNode exchange : Http.JSON.readTree(in).path("exchanges")) {
                    exchanges.put(RecordedAnswers.key(exchange.path("request")), exchange);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/v1/chat/completions", this::answer);
        server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    /**
     * The fixture file on the test classpath. Pass it as {@code --passages} (or read it with
     * {@link SavedPassages#readFrom}) so cited passages are scored as they read when the answers were recorded.
     */
    public static Path fixture(String name) {
        try {
            var url = ReplayGateway.class.getResource("/fixtures/" + name);
            if (url == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return Path.of(url.toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException(e);
        }
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /**
     * Plays the gateway's evaluation route too: GETs under {@code /api/evaluation/} go to a real evaluation
     * service with the internal token the gateway would have issued for the caller's key.
     */
    public ReplayGateway routeEvaluationTo(URI evaluation, String internalToken) {
        server.createContext("/api/evaluation/", http -> {
            Http.Reply reply = Http.get(evaluation.resolve(http.getRequestURI().toString()).toString(),
                    Http.bearer(internalToken));
            send(http, reply.status(), reply.body());
        });
        return this;
    }

    public int calls() {
        return calls.get();
    }

    private void answer(HttpExchange http) throws IOException {
        calls.incrementAndGet();
        String auth = http.getRequestHeaders().getFirst("Authorization");
        if (auth == null || !auth.startsWith("Bearer ")) {
            send(http, 401, "{\"error\":{\"code\":\"invalid_api_key\",\"message\":\"no key\"}}");
            return;
        }
        JsonNode request = Http.JSON.readTree(http.getRequestBody().readAllBytes());
        JsonNode recorded = exchanges.get(RecordedAnswers.key(request));
        if (recorded == null) {
            send(http, 404, "{\"error\":{\"code\":\"not_recorded\",\"message\":\"no recorded answer for this request\"}}");
            return;
        }
        JsonNode body = recorded.path("body");
        send(http, recorded.path("status").asInt(), body.isString() ? body.asString() : body.toString());
    }

    private static void send(HttpExchange http, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        http.getResponseHeaders().add("Content-Type", "application/json");
        http.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = http.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
