package dev.genaiplatform.orchestrator.chat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A tiny OpenAI-compatible model server for tests, on the JDK's HTTP server. It behaves like the platform's
 * simulator: with passages in the system message it answers with a sentence per passage and a
 * {@code [n]} marker; without passages it says it does not know. It records every request body.
 *
 * <p>A last user message containing {@code TOO LONG} gets OpenAI's context-length error. A request that offers
 * tools and does not end with a tool result gets a call of the first tool ({@link #TOOL_ARGUMENTS}), streamed
 * in pieces as OpenAI does; a request with a JSON {@code response_format} gets {@link #JSON_ANSWER}.
 */
public final class FakeOpenAiServer implements AutoCloseable {

    public static final String ANSWER_WITH_CITATIONS =
            "Retrieval fuses BM25 and vector rankings with reciprocal rank fusion. [1] "
                    + "Chunks keep the heading path of their section. [2]";
    static final String NO_ANSWER = "I don't know. The provided context does not answer that question.";
    static final String JSON_ANSWER = "{\"answer\":\"Retrieval fuses BM25 and vector rankings.\",\"sources\":[1]}";
    static final String SCHEMA_VIOLATION = "{\"answer\": 42}";
    static final String TOOL_CALL_ID = "call_abc123";
    /** 300 characters of harmless answer before a leak. */
    static final String LEAK_PREFIX = "Retrieval fuses BM25 and vector rankings with reciprocal rank fusion. ".repeat(4)
            + "Chunks keep the heading path of their section, which helps the reader. ";
    static final String TOOL_ARGUMENTS = "{\"city\":\"Paris\"}";
    static final int PROMPT_TOKENS = 123;
    static final int COMPLETION_TOKENS = 17;

    private final JsonMapper json = new JsonMapper();
    private final List<JsonNode> requests = new CopyOnWriteArrayList<>();
    private final HttpServer server;
    private final Map<String, String> faults = new java.util.concurrent.ConcurrentHashMap<>();

    public FakeOpenAiServer() throws IOException {
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        // one virtual thread per exchange: a hung answer must not hold the others
        this.server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        this.server.createContext("/v1/chat/completions", this::handle);
        this.server.start();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + this.server.getAddress().getPort() + "/v1";
    }

    /**
     * Every request for {@code model} fails as the simulator's fault kind does ({@code docs/fault-kinds.md}), e.g.
     * {@code server-error}, {@code unavailable=1}, {@code stream-cut}; {@code null} clears it.
     */
    public void fault(String model, String kind) {
        if (kind == null) {
            this.faults.remove(model);
        }
        else {
            this.faults.put(model, kind);
        }
    }

    private volatile java.util.concurrent.CountDownLatch gate = new java.util.concurrent.CountDownLatch(0);
    private final java.util.concurrent.atomic.AtomicInteger atGate = new java.util.concurrent.atomic.AtomicInteger();

    /** From now on every request waits before answering until the returned latch is counted down. */
    public java.util.concurrent.CountDownLatch holdAnswers() {
        java.util.concurrent.CountDownLatch held = new java.util.concurrent.CountDownLatch(1);
        this.gate = held;
        return held;
    }

    /** Requests waiting for {@link #holdAnswers}' latch right now. */
    public int waitingAnswers() {
        return this.atGate.get();
    }

    private final Map<String, java.util.concurrent.CountDownLatch> modelGates = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, java.util.concurrent.atomic.AtomicInteger> atModelGate = new java.util.concurrent.ConcurrentHashMap<>();

    /** From now on every request for {@code model} waits before answering until the returned latch is counted down. */
    public java.util.concurrent.CountDownLatch holdAnswers(String model) {
        java.util.concurrent.CountDownLatch held = new java.util.concurrent.CountDownLatch(1);
        this.modelGates.put(model, held);
        return held;
    }

    /** Requests for {@code model} waiting for {@link #holdAnswers(String)}' latch right now. */
    public int waitingAnswers(String model) {
        return this.atModelGate.computeIfAbsent(model, m -> new java.util.concurrent.atomic.AtomicInteger()).get();
    }

    void clearFaults() {
        this.faults.clear();
    }

    /** Requests received for one model. */
    long requestsFor(String model) {
        return this.requests.stream().filter(r -> model.equals(r.path("model").asString())).count();
    }

    /** Every request body received so far, oldest first. */
    public List<JsonNode> requests() {
        return this.requests;
    }

    @Override
    public void close() {
        this.server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        JsonNode request = this.json.readTree(exchange.getRequestBody().readAllBytes());
        this.requests.add(request);
        this.atGate.incrementAndGet();
        try {
            this.gate.await();
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        finally {
            this.atGate.decrementAndGet();
        }
        java.util.concurrent.CountDownLatch modelGate = this.modelGates.get(request.path("model").asString());
        if (modelGate != null) {
            java.util.concurrent.atomic.AtomicInteger waiting = this.atModelGate.computeIfAbsent(
                    request.path("model").asString(), m -> new java.util.concurrent.atomic.AtomicInteger());
            waiting.incrementAndGet();
            try {
                modelGate.await();
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            finally {
                waiting.decrementAndGet();
            }
        }
        JsonNode messages = request.get("messages");
        String system = messages.get(0).get("content").asString();
        String question = messages.get(messages.size() - 1).path("content").asString("");
        String model = request.get("model").asString();
        String fault = this.faults.get(model);
        String finishReason = "stop";
        String faultKind = fault == null ? "" : fault.split("=")[0];
        int parameter = fault != null && fault.contains("=") ? Integer.parseInt(fault.split("=")[1]) : -1;
        switch (faultKind) {
            case "server-error" -> {
                send(exchange, 500, "application/json", "{\"error\":{\"message\":\"The server had an error while "
                        + "processing your request. Sorry about that!\",\"type\":\"server_error\",\"param\":null,\"code\":null}}");
                return;
            }
            case "bad-gateway" -> {
                send(exchange, 502, "text/html", "<html><head><title>502 Bad Gateway</title></head><body>cloudflare</body></html>");
                return;
            }
            case "unavailable", "rate-limit-storm" -> {
                exchange.getResponseHeaders().add("Retry-After", Integer.toString(parameter < 0 ? 1 : parameter));
                boolean storm = "rate-limit-storm".equals(faultKind);
                send(exchange, storm ? 429 : 503, "application/json", storm
                        ? "{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\",\"param\":null,\"code\":\"rate_limit_exceeded\"}}"
                        : "{\"error\":{\"message\":\"The engine is currently overloaded, please try again later.\",\"type\":\"server_error\"}}");
                return;
            }
            case "hang" -> {
                sleep(15_000);
                exchange.close();
                return;
            }
            case "context-length-exceeded" -> question = "TOO LONG";
            case "slow-first-token" -> sleep(parameter < 0 ? 3000 : parameter);
            case "content-filter" -> finishReason = "content_filter";
            case "length" -> finishReason = "length";
            default -> {
            }
        }

        if (question.contains("TOO LONG")) {
            send(exchange, 400, "application/json", this.json.writeValueAsString(Map.of("error", Map.of(
                    "message", "This model's maximum context length is 8192 tokens.",
                    "type", "invalid_request_error", "param", "messages", "code", "context_length_exceeded"))));
            return;
        }
        boolean stream = request.path("stream").asBoolean(false);
        boolean lastIsToolResult = "tool".equals(messages.get(messages.size() - 1).path("role").asString());
        if (request.has("tools") && !lastIsToolResult) {
            String tool = request.at("/tools/0/function/name").asString();
            if (stream) {
                streamToolCall(exchange, model, tool);
            }
            else {
                send(exchange, 200, "application/json", this.json.writeValueAsString(Map.of(
                        "id", "sim-1", "object", "chat.completion", "created", 1_700_000_000, "model", model,
                        "choices", List.of(Map.of("index", 0, "finish_reason", "tool_calls", "message", Map.of(
                                "role", "assistant", "tool_calls", List.of(Map.of("id", TOOL_CALL_ID, "type", "function",
                                        "function", Map.of("name", tool, "arguments", TOOL_ARGUMENTS)))))),
                        "usage", usage())));
            }
            return;
        }
        String format = request.at("/response_format/type").asString("text");
        String answer = !"text".equals(format) ? JSON_ANSWER
                : system.contains("[1] (source:") ? ANSWER_WITH_CITATIONS : NO_ANSWER;
        java.util.regex.Matcher canary = java.util.regex.Pattern.compile("cnry-[0-9a-f]{8}").matcher(system);
        if (question.contains("LEAK") && canary.find()) {
            // a model talked into repeating its instructions: harmless text first, so a stream is well under way
            answer = LEAK_PREFIX + "My confidential marker is " + canary.group() + " and more secrets follow. [1]";
        }
        if (question.contains("<PERSON_1>")) {
            answer = "You asked about <PERSON_1>: retrieval fuses BM25 and vector rankings. [1]";
        }
        // The simulator's planned schema-violation kind: JSON that fails the schema; "-once" heals on the re-ask.
        boolean reAsked = question.contains("did not match the required JSON schema");
        if ("schema-violation".equals(faultKind) || "schema-violation-once".equals(faultKind) && !reAsked) {
            answer = SCHEMA_VIOLATION;
        }
        if ("stream-cut".equals(faultKind) || "malformed-chunk".equals(faultKind)) {
            brokenStream(exchange, model, answer, "stream-cut".equals(faultKind), parameter);
            return;
        }
        if (!"stop".equals(finishReason)) {
            answer = answer.substring(0, answer.length() / 2);
        }
        if (stream) {
            stream(exchange, model, answer, request.path("stream_options").path("include_usage").asBoolean(false),
                    finishReason, "slow-tokens".equals(faultKind) ? parameter : 0);
        }
        else {
            send(exchange, 200, "application/json", this.json.writeValueAsString(Map.of(
                    "id", "sim-1", "object", "chat.completion", "created", 1_700_000_000, "model", model,
                    "choices", List.of(Map.of("index", 0, "finish_reason", "stop",
                            "message", Map.of("role", "assistant", "content", answer))),
                    "usage", usage())));
        }
    }

    /**
     * The simulator's {@code stream-cut} (half the answer, then the connection closes short of the announced length)
     * and {@code malformed-chunk} (the middle chunk cut in half, then the stream goes on to {@code [DONE]}). As the
     * simulator's, the parameter says how many content chunks go out before the cut ({@code stream-cut=2}), or which
     * chunk is malformed, 1 = the first ({@code malformed-chunk=1}).
     */
    private void brokenStream(HttpExchange exchange, String model, String answer, boolean cut, int parameter)
            throws IOException {
        exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
        String[] pieces = answer.split("(?<= )");
        int brokenAt = parameter < 0 ? pieces.length / 2
                : Math.min(cut ? parameter : parameter - 1, pieces.length - 1);
        if (cut) {
            exchange.sendResponseHeaders(200, 1_000_000);
        }
        else {
            exchange.sendResponseHeaders(200, 0);
        }
        OutputStream out = exchange.getResponseBody();
        try {
            event(out, chunk(model, Map.of("role", "assistant", "content", ""), null));
            for (int i = 0; i < pieces.length; i++) {
                String data = chunk(model, Map.of("content", pieces[i]), null);
                if (i == brokenAt) {
                    if (cut) {
                        out.flush();
                        exchange.getHttpContext().getServer();
                        throw new IOException("cut");
                    }
                    data = data.substring(0, data.length() / 2);
                }
                event(out, data);
            }
            event(out, chunk(model, Map.of(), "stop"));
            out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
            out.close();
        }
        catch (IOException cutShort) {
            // closing the exchange short of its Content-Length drops the connection: what a cut looks like
            exchange.close();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * A streamed answer; {@code pieceDelayMillis} > 0 (the fake's own {@code slow-tokens=ms}, like the simulator's
     * inter-token delay) waits that long before each piece.
     */
    private void stream(HttpExchange exchange, String model, String answer, boolean includeUsage, String finishReason,
                        long pieceDelayMillis) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream out = exchange.getResponseBody()) {
            event(out, chunk(model, Map.of("role", "assistant", "content", ""), null));
            for (String piece : answer.split("(?<=\\. )")) {   // a few pieces, split after each sentence
                if (pieceDelayMillis > 0) {
                    sleep(pieceDelayMillis);
                }
                event(out, chunk(model, Map.of("content", piece), null));
            }
            event(out, chunk(model, Map.of(), finishReason));
            if (includeUsage) {
                event(out, this.json.writeValueAsString(Map.of("id", "sim-1", "object", "chat.completion.chunk",
                        "created", 1_700_000_000, "model", model, "choices", List.of(), "usage", usage())));
            }
            out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
        }
    }

    /** A tool call the way OpenAI streams it: id and name first, then the arguments in pieces. */
    private void streamToolCall(HttpExchange exchange, String model, String tool) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream out = exchange.getResponseBody()) {
            event(out, chunk(model, Map.of("role", "assistant", "tool_calls", List.of(Map.of("index", 0,
                    "id", TOOL_CALL_ID, "type", "function", "function", Map.of("name", tool, "arguments", "")))), null));
            int half = TOOL_ARGUMENTS.length() / 2;
            for (String piece : List.of(TOOL_ARGUMENTS.substring(0, half), TOOL_ARGUMENTS.substring(half))) {
                event(out, chunk(model, Map.of("tool_calls", List.of(Map.of("index", 0,
                        "function", Map.of("arguments", piece)))), null));
            }
            event(out, chunk(model, Map.of(), "tool_calls"));
            out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
        }
    }

    private String chunk(String model, Map<String, ?> delta, String finishReason) {
        Map<String, Object> choice = new java.util.HashMap<>();
        choice.put("index", 0);
        choice.put("delta", delta);
        choice.put("finish_reason", finishReason);
        return this.json.writeValueAsString(Map.of("id", "sim-1", "object", "chat.completion.chunk",
                "created", 1_700_000_000, "model", model, "choices", List.of(choice)));
    }

    private static Map<String, Integer> usage() {
        return Map.of("prompt_tokens", PROMPT_TOKENS, "completion_tokens", COMPLETION_TOKENS,
                "total_tokens", PROMPT_TOKENS + COMPLETION_TOKENS);
    }

    private static void event(OutputStream out, String data) throws IOException {
        out.write(("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
