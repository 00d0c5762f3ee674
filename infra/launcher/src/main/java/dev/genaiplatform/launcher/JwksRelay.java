package dev.genaiplatform.launcher;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * The gateways' JWK set at one address that survives the loss of a region: what a global load balancer or CDN in
 * front of every region's {@code /.well-known/jwks.json} gives a real deployment. Services shared by two regions
 * (guardrails, retrieval, tools-agent, evaluation) verify tokens from both regions' gateways, which sign from one key
 * ring (the shared gateway database); pointed at region A's gateway, they could no longer fetch the key set once
 * region A died, and refused region B's tokens as soon as their cached key set expired or missed a key.
 *
 * <p>Each request is passed to the gateways in order and the first 200 is returned as it came, unchanged and
 * uncached, so a key rotation shows up exactly as it would at a gateway. Loopback only.
 */
final class JwksRelay implements AutoCloseable {

    static final String PATH = "/.well-known/jwks.json";

    private final HttpServer server;
    private final List<URI> gateways = new CopyOnWriteArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private JwksRelay(HttpServer server) {
        this.server = server;
    }

    /** Starts the relay on {@code port} (0: any free port) in front of the given gateways' base URIs. */
    static JwksRelay start(int port, List<URI> gateways) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
        JwksRelay relay = new JwksRelay(server);
        relay.gateways.addAll(gateways);
        server.createContext(PATH, relay::handle);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        return relay;
    }

    /** Adds a gateway (region B's, started after the services that verify through this relay). */
    void add(URI gateway) {
        gateways.add(gateway);
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + PATH);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!exchange.getRequestMethod().equals("GET")) {
                respond(exchange, 405, "application/json", "{\"error\":\"GET only\"}");
                return;
            }
            for (URI gateway : gateways) {
                try {
                    HttpResponse<String> answer = http.send(HttpRequest.newBuilder(gateway.resolve(PATH))
                            .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.ofString());
                    if (answer.statusCode() == 200) {
                        respond(exchange, 200, answer.headers().firstValue("Content-Type").orElse("application/json"),
                                answer.body());
                        return;
                    }
                } catch (IOException gatewayDown) {
                    // try the next region's gateway
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            respond(exchange, 503, "application/json", "{\"error\":\"no gateway answers\"}");
        }
    }

    private static void respond(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
