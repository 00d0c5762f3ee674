package dev.genaiplatform.orchestrator.provider;

import com.sun.net.httpserver.HttpServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in for any provider on the JDK's HTTP server: it records each request (method, path, headers,
 * JSON body) and answers every POST with one canned JSON body in the provider's own format.
 */
final class FakeProviderServer implements AutoCloseable {

    /** One request as the provider received it; header names are lower case. */
    record Received(String method, String path, Map<String, List<String>> headers, JsonNode body) {

        String header(String name) {
            List<String> values = this.headers.get(name);
            return values == null || values.isEmpty() ? null : values.getFirst();
        }
    }

    private final JsonMapper json = new JsonMapper();
    private final List<Received> requests = new CopyOnWriteArrayList<>();
    private final HttpServer server;

    FakeProviderServer(String answer) {
        this(answer, "application/json");
    }

    FakeProviderServer(String answer, String contentType) {
        try {
            this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        this.server.createContext("/", exchange -> {
            Map<String, List<String>> headers = new java.util.HashMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(java.util.Locale.ROOT), values));
            byte[] body = exchange.getRequestBody().readAllBytes();
            this.requests.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), headers,
                    body.length == 0 ? null : this.json.readTree(body)));
            byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", contentType);
            exchange.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        this.server.start();
    }

    String root() {
        return "http://127.0.0.1:" + this.server.getAddress().getPort();
    }

    Received onlyRequest() {
        return this.requests.stream().reduce((a, b) -> {
            throw new AssertionError("expected one request, got " + this.requests.size());
        }).orElseThrow(() -> new AssertionError("the provider received no request"));
    }

    @Override
    public void close() {
        this.server.stop(0);
    }
}
