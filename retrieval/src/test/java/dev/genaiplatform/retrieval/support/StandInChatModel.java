package dev.genaiplatform.retrieval.support;

import com.sun.net.httpserver.HttpServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An OpenAI-compatible chat endpoint on loopback that the integration tests' service uses as its HyDE model: it
 * answers every {@code /v1/chat/completions} with a passage that names the question, and records each question it was
 * asked, so a test can count the model calls its own (unique) question caused. One server per test JVM.
 */
public final class StandInChatModel {

    /** What the stand-in writes for a question: recognisable in a reply's {@code queries}. */
    public static String passageFor(String question) {
        return "Hypothetical passage answering: " + question;
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final List<String> QUESTIONS = new CopyOnWriteArrayList<>();
    private static final HttpServer SERVER = start();

    private StandInChatModel() {
    }

    public static String baseUrl() {
        return "http://127.0.0.1:" + SERVER.getAddress().getPort() + "/v1";
    }

    /** How many times the model was asked to write a passage for exactly this question. */
    public static long callsFor(String question) {
        return QUESTIONS.stream().filter(question::equals).count();
    }

    private static HttpServer start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/v1/chat/completions", exchange -> {
                JsonNode request = JSON.readTree(exchange.getRequestBody().readAllBytes());
                String question = request.path("messages").path(1).path("content").asString();
                QUESTIONS.add(question);
                var message = JSON.createObjectNode().put("role", "assistant").put("content", passageFor(question));
                byte[] body = JSON.writeValueAsString(JSON.createObjectNode()
                        .set("choices", JSON.createArrayNode().add(JSON.createObjectNode().set("message", message))))
                        .getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
