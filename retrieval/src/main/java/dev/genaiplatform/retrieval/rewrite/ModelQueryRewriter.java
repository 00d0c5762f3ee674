package dev.genaiplatform.retrieval.rewrite;

import dev.genaiplatform.contracts.retrieval.ConversationTurn;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.ai.chat.prompt.PromptTemplate;
import org.springframework.core.io.ClassPathResource;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Query rewriting by a chat model behind an OpenAI-compatible {@code /chat/completions} endpoint (the project's
 * simulator offline, any real provider by configuration): the conversation goes in as real turns, the instructions
 * ({@code prompts/query-rewrite.st}) as the system message, and the answer must be JSON with a {@code query} and
 * {@code alternatives} (asked for with a strict JSON schema). A model that fails, times out or answers anything else
 * is replaced, for this request, by the rule-based rewriter: retrieval never waits on a broken model or fails with it.
 *
 * <p>The offline simulator does not rewrite: it answers a schema's {@code query} property with the last user message,
 * so against it the model path returns the question as sent. Point it at a real model to measure what it adds.
 */
public final class ModelQueryRewriter implements QueryRewriter {

    private static final Logger log = LoggerFactory.getLogger(ModelQueryRewriter.class);
    private static final int TURNS_SENT = 6;
    private static final int TURN_CHARS = 2_000;
    private static final int MAX_QUERY_CHARS = 1_000;

    private final RestClient http;
    private final String model;
    private final int maxQueries;
    private final QueryRewriter fallback;
    private final JsonMapper json = JsonMapper.builder().build();
    private final String instructions;
    private final MeterRegistry meters;

    /**
     * @param http       a client whose base URL is the provider's, e.g. {@code http://127.0.0.1:8090/v1}, with its key and
     *                   timeouts set
     * @param maxQueries most queries searched (the standalone one included)
     * @param fallback   what answers when the model does not
     */
    public ModelQueryRewriter(RestClient http, String model, int maxQueries, QueryRewriter fallback, MeterRegistry meters) {
        this.http = http;
        this.model = model;
        this.maxQueries = maxQueries;
        this.fallback = fallback;
        this.meters = meters;
        this.instructions = new PromptTemplate(new ClassPathResource("prompts/query-rewrite.st"))
                .render(Map.of("maxAlternatives", Math.max(0, maxQueries - 1)));
    }

    @Override
    public QueryRewrite rewrite(String query, List<ConversationTurn> conversation) {
        try {
            JsonNode response = http.post().uri("/chat/completions").body(request(query, conversation)).retrieve().body(JsonNode.class);
            QueryRewrite rewrite = parse(query, response);
            meters.counter("retrieval.rewrite", "rewriter", "model", "outcome", "rewritten").increment();
            return rewrite;
        } catch (RuntimeException e) {
            log.warn("Query rewriting model failed ({}); the rules rewrite this query", e.toString());
            meters.counter("retrieval.rewrite", "rewriter", "model", "outcome", "fallback").increment();
            return fallback.rewrite(query, conversation);
        }
    }

    private Map<String, Object> request(String query, List<ConversationTurn> conversation) {
        List<Map<String, String>> messages = new ArrayList<>();
        messages.add(Map.of("role", "system", "content", instructions));
        List<ConversationTurn> turns = conversation == null ? List.of() : conversation.stream()
                .filter(t -> t != null && t.content() != null && ("user".equals(t.role()) || "assistant".equals(t.role()))).toList();
        for (ConversationTurn turn : turns.subList(Math.max(0, turns.size() - TURNS_SENT), turns.size())) {
            String content = turn.content().length() > TURN_CHARS ? turn.content().substring(0, TURN_CHARS) : turn.content();
            messages.add(Map.of("role", turn.role(), "content", content));
        }
        messages.add(Map.of("role", "user", "content", query));
        Map<String, Object> schema = Map.of("type", "object",
                "properties", Map.of("query", Map.of("type", "string"),
                        "alternatives", Map.of("type", "array", "items", Map.of("type", "string"))),
                "required", List.of("query", "alternatives"), "additionalProperties", false);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("model", model);
        body.put("temperature", 0);
        body.put("messages", messages);
        body.put("response_format", Map.of("type", "json_schema",
                "json_schema", Map.of("name", "search_queries", "strict", true, "schema", schema)));
        return body;
    }

    private QueryRewrite parse(String query, JsonNode response) {
        JsonNode content = response == null ? null : response.path("choices").path(0).path("message").path("content");
        if (content == null || !content.isString()) {
            throw new IllegalStateException("no message content in the model's answer");
        }
        JsonNode answer = json.readTree(content.asString());
        JsonNode standaloneNode = answer.path("query");
        String standalone = standaloneNode.isString() ? standaloneNode.asString().strip() : "";
        if (standalone.isEmpty() || standalone.length() > MAX_QUERY_CHARS) {
            throw new IllegalStateException("the model's query is empty or too long");
        }
        Map<String, String> queries = new LinkedHashMap<>();
        queries.put(standalone.toLowerCase(Locale.ROOT), standalone);
        for (JsonNode alternative : answer.path("alternatives")) {
            if (queries.size() >= maxQueries) {
                break;
            }
            if (alternative.isString() && !alternative.asString().isBlank() && alternative.asString().length() <= MAX_QUERY_CHARS) {
                queries.putIfAbsent(alternative.asString().strip().toLowerCase(Locale.ROOT), alternative.asString().strip());
            }
        }
        return new QueryRewrite(query, standalone, List.copyOf(queries.values()), "model");
    }
}
