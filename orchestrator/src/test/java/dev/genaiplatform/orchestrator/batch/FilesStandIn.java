package dev.genaiplatform.orchestrator.batch;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.genaiplatform.contracts.security.InternalToken;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;

/**
 * Plays retrieval's {@code GET /v1/files/{id}} and {@code GET /v1/files/{id}/content} as its README specifies: a file
 * is served only to its own tenant (another tenant's file is a 404), with its purpose. It records the bearer tokens it
 * was called with. (The whole-platform test, infra/launcher BatchLaneIT, uses the real retrieval.)
 */
final class FilesStandIn implements AutoCloseable {

    private final HttpServer server;
    private final JsonMapper json = new JsonMapper();
    private final Map<String, StoredFile> files = new ConcurrentHashMap<>();
    final Queue<String> tokens = new ConcurrentLinkedQueue<>();

    record StoredFile(String tenant, String purpose, byte[] content) {
    }

    FilesStandIn() throws IOException {
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        this.server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        this.server.createContext("/v1/files/", this::handle);
        this.server.start();
    }

    String url() {
        return "http://127.0.0.1:" + this.server.getAddress().getPort();
    }

    void put(String fileId, String tenant, String purpose, String content) {
        this.files.put(fileId, new StoredFile(tenant, purpose, content.getBytes(StandardCharsets.UTF_8)));
    }

    private void handle(HttpExchange exchange) throws IOException {
        String[] path = exchange.getRequestURI().getPath().split("/");   // "", v1, files, id[, content]
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        String tenant = authorization == null ? null : tenantOf(authorization.substring("Bearer ".length()));
        if (tenant == null) {
            send(exchange, 401, "application/problem+json", "{\"status\":401}".getBytes(StandardCharsets.UTF_8));
            return;
        }
        this.tokens.add(authorization.substring("Bearer ".length()));
        StoredFile file = path.length >= 4 ? this.files.get(path[3]) : null;
        if (file == null || !file.tenant().equals(tenant)) {
            send(exchange, 404, "application/problem+json", "{\"status\":404}".getBytes(StandardCharsets.UTF_8));
            return;
        }
        if (path.length == 5 && "content".equals(path[4])) {
            send(exchange, 200, "application/jsonl", file.content());
            return;
        }
        send(exchange, 200, "application/json", this.json.writeValueAsBytes(Map.of("id", path[3], "object", "file",
                "bytes", file.content().length, "purpose", file.purpose(), "filename", "input.jsonl")));
    }

    /** The tenant claim, read without verifying: the stand-in trusts the orchestrator under test to pass tokens on. */
    private String tenantOf(String jwt) {
        String[] parts = jwt.split("\\.");
        if (parts.length != 3) {
            return null;
        }
        JsonNode claims = this.json.readTree(Base64.getUrlDecoder().decode(parts[1]));
        return claims.path(InternalToken.CLAIM_TENANT).asString(null);
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", type);
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        this.server.stop(0);
    }
}
