package dev.genaiplatform.evaluation.runs;

import dev.genaiplatform.contracts.http.PlatformHttpHeaders;
import dev.genaiplatform.evaluation.golden.GoldenCase;
import dev.genaiplatform.evaluation.scoring.CitedPassage;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Calls the platform through the gateway's public, OpenAI-compatible {@code /v1/chat/completions} with an API
 * key, exactly like any client: the run measures the whole path (keys, rate limits, guardrails, retrieval,
 * prompt, model, citations), not a shortcut around it. Non-streamed, so the answer, its {@code citations} and
 * {@code usage} arrive in one body.
 */
public class GatewayChatClient implements ChatClient {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http;
    private final URI completions;
    private final String apiKey;
    private final Duration timeout;

    public GatewayChatClient(URI gateway, String apiKey, Duration timeout) {
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        this.completions = gateway.resolve("/v1/chat/completions");
        this.apiKey = apiKey;
        this.timeout = timeout;
    }

    @Override
    public ChatAnswer ask(GoldenCase goldenCase, CallOptions options) {
        return exchange(goldenCase, options).answer();
    }

    /** The call with what was sent and received, for recording. */
    public Exchange exchange(GoldenCase goldenCase, CallOptions options) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("model", options.model());
        body.put("messages", goldenCase.messages());
        if (!goldenCase.tools().isEmpty()) {
            body.put("tools", goldenCase.tools());
        }
        body.put("seed", options.seed());
        if (options.maxTokens() != null) {
            body.put("max_tokens", options.maxTokens());
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(completions).timeout(timeout)
                .header("Authorization", "Bearer " + apiKey)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        if (options.experimentArm() != null) {
            request.header(PlatformHttpHeaders.EXPERIMENT_ARM, options.experimentArm());
        }
        long started = System.nanoTime();
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            long millis = Duration.ofNanos(System.nanoTime() - started).toMillis();
            return new Exchange(body, response.statusCode(), response.body(),
                    parse(response.statusCode(), response.body(), millis));
        } catch (IOException e) {
            return new Exchange(body, 0, "", failed(started, "unreachable",
                    "the gateway at " + completions + " did not answer: " + e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Exchange(body, 0, "", failed(started, "interrupted", "the run was stopped"));
        }
    }

    /**
     * One call as it happened.
     *
     * @param requestBody  the JSON body sent
     * @param status       the HTTP status, 0 when there was no response
     * @param responseBody the body received
     * @param answer       what it means
     */
    public record Exchange(Map<String, Object> requestBody, int status, String responseBody, ChatAnswer answer) {
    }

    /** Reads an OpenAI chat completion (with the platform's {@code citations}) or a problem document. */
    static ChatAnswer parse(int status, String text, long latencyMillis) {
        JsonNode body;
        try {
            body = JSON.readTree(text == null || text.isBlank() ? "{}" : text);
        } catch (JacksonException e) {
            return new ChatAnswer(status, null, null, List.of(), List.of(), null, 0, 0, latencyMillis,
                    "unreadable_response", "not JSON: " + abbreviate(text));
        }
        if (status < 200 || status >= 300) {
            return new ChatAnswer(status, null, null, List.of(), List.of(), null, 0, 0, latencyMillis,
                    body.at("/error/code").asString("http_" + status),
                    body.at("/error/message").asString(body.path("detail").asString(abbreviate(text))));
        }
        JsonNode message = body.at("/choices/0/message");
        List<ChatAnswer.ToolCallSeen> calls = new ArrayList<>();
        for (JsonNode call : message.path("tool_calls")) {
            calls.add(new ChatAnswer.ToolCallSeen(call.at("/function/name").asString(""),
                    call.at("/function/arguments").asString("")));
        }
        List<CitedPassage> citations = new ArrayList<>();
        for (JsonNode citation : body.path("citations")) {
            citations.add(new CitedPassage(citation.path("index").asInt(), citation.path("documentPath").asString(""),
                    citation.path("startOffset").asInt(), citation.path("endOffset").asInt()));
        }
        return new ChatAnswer(status, body.path("id").asString(null),
                message.path("content").isString() ? message.path("content").asString() : null,
                citations, calls, body.at("/choices/0/finish_reason").asString(null),
                body.at("/usage/prompt_tokens").asInt(0), body.at("/usage/completion_tokens").asInt(0),
                latencyMillis, null, null);
    }

    private static ChatAnswer failed(long started, String code, String message) {
        return new ChatAnswer(0, null, null, List.of(), List.of(), null, 0, 0,
                Duration.ofNanos(System.nanoTime() - started).toMillis(), code, message);
    }

    private static String abbreviate(String text) {
        if (text == null) {
            return "";
        }
        return text.length() <= 300 ? text : text.substring(0, 300) + "...";
    }
}
