package dev.genaiplatform.orchestrator.agent;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An OpenAI-compatible model for the agent tests that calls tools the way the simulator's documented "tool calls"
 * rules do (the orchestrator must not depend on the simulator's code): with tools offered and a user message last,
 * the tool named in it is called, a calculator-like tool with the message's arithmetic as {@code expression}, other
 * required string parameters with the message itself; the call id is derived from the conversation. After a tool
 * result it answers with that result, unless the goal says "keep going", then it calls the same tool again (a run
 * that never ends by itself). A tool result that names another offered tool gets that tool called (a model that
 * follows an injected instruction). A goal containing "MODEL DOWN" gets a 500, every time. Without tools it answers directly. Usage: 100 prompt + 20 completion tokens a call.
 */
final class FakeAgentModel implements AutoCloseable {

    private static final Pattern ARITHMETIC = Pattern.compile("\\d+(\\s*[-+*/]\\s*\\d+)+");

    private final JsonMapper json = new JsonMapper();
    private final HttpServer server;
    final List<JsonNode> requests = new CopyOnWriteArrayList<>();

    FakeAgentModel() throws IOException {
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        this.server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        this.server.createContext("/v1/chat/completions", this::handle);
        this.server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + this.server.getAddress().getPort() + "/v1";
    }

    private void handle(HttpExchange exchange) throws IOException {
        JsonNode request = this.json.readTree(exchange.getRequestBody().readAllBytes());
        this.requests.add(request);
        JsonNode messages = request.get("messages");
        JsonNode last = messages.get(messages.size() - 1);
        String goal = "";
        for (JsonNode message : messages) {
            if ("user".equals(message.path("role").asString())) {
                goal = message.path("content").asString();
            }
        }
        if (goal.contains("MODEL DOWN")) {
            byte[] error = "{\"error\":{\"message\":\"The server had an error\",\"type\":\"server_error\"}}"
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(500, error.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(error);
            }
            return;
        }
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("role", "assistant");
        String finish = "stop";
        JsonNode tool = request.has("tools") ? named(request.get("tools"), goal) : null;
        boolean toolResult = "tool".equals(last.path("role").asString());
        JsonNode injected = toolResult && request.has("tools")
                ? named(request.get("tools"), last.path("content").asString()) : null;
        if (injected != null && !injected.equals(tool)) {
            // a gullible model: it follows an instruction it read in a tool result
            tool = injected;
            goal = last.path("content").asString();
        }
        if (tool != null && (!toolResult || goal.contains("keep going") || tool == injected)) {
            String name = tool.at("/function/name").asString();
            String id = String.format("call_%08x", (messages.toString() + name).hashCode());
            message.put("content", null);
            message.put("tool_calls", List.of(Map.of("id", id, "type", "function",
                    "function", Map.of("name", name, "arguments", arguments(tool, goal)))));
            finish = "tool_calls";
        }
        else if (toolResult) {
            message.put("content", "The tool answered: " + last.path("content").asString());
        }
        else {
            message.put("content", "Direct answer to: " + goal);
        }
        byte[] body = this.json.writeValueAsBytes(Map.of("id", "chatcmpl-agent", "object", "chat.completion",
                "created", 1_700_000_000, "model", request.path("model").asString(),
                "choices", List.of(Map.of("index", 0, "finish_reason", finish, "message", message)),
                "usage", Map.of("prompt_tokens", 100, "completion_tokens", 20, "total_tokens", 120)));
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** The offered tool whose name the goal mentions earliest, else null. */
    private static JsonNode named(JsonNode tools, String goal) {
        JsonNode best = null;
        int bestAt = Integer.MAX_VALUE;
        for (JsonNode tool : tools) {
            int at = goal.indexOf(tool.at("/function/name").asString());
            if (at >= 0 && at < bestAt) {
                best = tool;
                bestAt = at;
            }
        }
        return best;
    }

    private String arguments(JsonNode tool, String goal) {
        Map<String, Object> arguments = new LinkedHashMap<>();
        for (JsonNode required : tool.at("/function/parameters/required")) {
            String name = required.asString();
            Matcher arithmetic = ARITHMETIC.matcher(goal);
            arguments.put(name, "expression".equals(name) && arithmetic.find() ? arithmetic.group()
                    : goal.replaceAll("[.?!]+$", ""));
        }
        return this.json.writeValueAsString(arguments);
    }

    @Override
    public void close() {
        this.server.stop(0);
    }
}
