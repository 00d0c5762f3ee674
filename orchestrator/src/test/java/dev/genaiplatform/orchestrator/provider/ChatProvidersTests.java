package dev.genaiplatform.orchestrator.provider;

import dev.genaiplatform.orchestrator.OrchestratorProperties;
import dev.genaiplatform.orchestrator.OrchestratorProperties.Provider;
import dev.genaiplatform.orchestrator.OrchestratorProperties.ProviderKind;
import dev.genaiplatform.orchestrator.provider.ChatProviders.ResolvedModel;
import dev.genaiplatform.orchestrator.provider.ChatProviders.UnknownModelException;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.SystemMessage;
import org.springframework.ai.chat.messages.ToolResponseMessage;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.tool.definition.ToolDefinition;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Each provider kind against a local fake of its API: what goes over the wire (path, authentication, model
 * id, messages, tools) and that the model's tool call comes back to the caller instead of being run.
 */
class ChatProvidersTests {

    private static final String PASSAGES = "Answer only from the context passages below.\n\n[1] (source: rag.md > RAG)\nChunks keep headings.";
    private static final String QUESTION = "What is the weather in Paris?";
    private static final List<Message> MESSAGES = List.of(new SystemMessage(PASSAGES), new UserMessage(QUESTION));
    private static final ToolDefinition WEATHER = ToolDefinition.builder()
            .name("get_weather")
            .description("Current weather of a city")
            .inputSchema("""
                    {"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}""")
            .build();
    private static final ModelRequest PLAIN = new ModelRequest(null, null, null, null, null, null, null, null, null,
            null, null);
    private static final ModelRequest WITH_TOOLS = new ModelRequest(0.0, null, 256, null, List.of("END"), 7, null,
            List.of(WEATHER), "required", null, null);

    @Test
    void openAiKindPostsChatCompletionsWithBearerKeyModelMessagesAndTools() {
        try (FakeProviderServer server = new FakeProviderServer("""
                {"id":"chatcmpl-1","object":"chat.completion","created":1700000000,"model":"gpt-test",
                 "choices":[{"index":0,"finish_reason":"tool_calls","message":{"role":"assistant","content":null,
                   "tool_calls":[{"id":"call_1","type":"function",
                     "function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}}]}}],
                 "usage":{"prompt_tokens":20,"completion_tokens":5,"total_tokens":25}}""")) {
            ResolvedModel model = providers(ProviderKind.OPENAI, server.root() + "/v1", "test-key", "gpt-test")
                    .resolve("client-model");

            ChatResponse response = call(model);

            FakeProviderServer.Received sent = server.onlyRequest();
            assertThat(sent.method()).isEqualTo("POST");
            assertThat(sent.path()).isEqualTo("/v1/chat/completions");
            assertThat(sent.header("authorization")).isEqualTo("Bearer test-key");
            JsonNode body = sent.body();
            assertThat(body.get("model").asString()).isEqualTo("gpt-test");
            assertThat(body.at("/messages/0/role").asString()).isEqualTo("system");
            assertThat(body.at("/messages/0/content").asString()).isEqualTo(PASSAGES);
            assertThat(body.at("/messages/1/role").asString()).isEqualTo("user");
            assertThat(body.at("/messages/1/content").asString()).isEqualTo(QUESTION);
            assertThat(body.at("/tools/0/type").asString()).isEqualTo("function");
            assertThat(body.at("/tools/0/function/name").asString()).isEqualTo("get_weather");
            assertThat(body.at("/tools/0/function/parameters/properties/city/type").asString()).isEqualTo("string");
            assertThat(body.get("tool_choice").asString()).isEqualTo("required");
            assertThat(body.get("seed").asInt()).isEqualTo(7);
            assertThat(body.get("max_tokens").asInt()).isEqualTo(256);
            assertThatToolCallCameBack(response, "get_weather");
        }
    }

    @Test
    void ollamaKindPostsApiChatWithoutAuthenticationWithModelMessagesAndTools() {
        try (FakeProviderServer server = new FakeProviderServer("""
                {"model":"llama3.1:8b","created_at":"2026-01-01T00:00:00Z",
                 "message":{"role":"assistant","content":"",
                   "tool_calls":[{"function":{"name":"get_weather","arguments":{"city":"Paris"}}}]},
                 "done":true,"done_reason":"stop","prompt_eval_count":20,"eval_count":5}""")) {
            ResolvedModel model = providers(ProviderKind.OLLAMA, server.root(), null, "llama3.1:8b")
                    .resolve("client-model");

            ChatResponse response = call(model);

            FakeProviderServer.Received sent = server.onlyRequest();
            assertThat(sent.path()).isEqualTo("/api/chat");
            assertThat(sent.header("authorization")).isNull();
            assertThat(sent.header("x-api-key")).isNull();
            JsonNode body = sent.body();
            assertThat(body.get("model").asString()).isEqualTo("llama3.1:8b");
            assertThat(body.get("stream").asBoolean()).isFalse();
            assertThat(body.at("/messages/0/role").asString()).isEqualTo("system");
            assertThat(body.at("/messages/0/content").asString()).isEqualTo(PASSAGES);
            assertThat(body.at("/messages/1/role").asString()).isEqualTo("user");
            assertThat(body.at("/messages/1/content").asString()).isEqualTo(QUESTION);
            assertThat(body.at("/tools/0/function/name").asString()).isEqualTo("get_weather");
            assertThat(body.at("/tools/0/function/parameters/properties/city/type").asString()).isEqualTo("string");
            assertThat(body.at("/options/seed").asInt()).isEqualTo(7);
            assertThat(body.at("/options/num_predict").asInt()).isEqualTo(256);
            assertThatToolCallCameBack(response, "get_weather");
        }
    }

    @Test
    void ollamaKindStreamsTextAndAToolCallFromNewlineDelimitedJson() {
        String line = "{\"model\":\"llama3.1:8b\",\"created_at\":\"2026-01-01T00:00:00Z\",\"message\":%s,%s}\n";
        String ndjson = line.formatted("{\"role\":\"assistant\",\"content\":\"Checking.\"}", "\"done\":false")
                + line.formatted("{\"role\":\"assistant\",\"content\":\"\",\"tool_calls\":[{\"function\":"
                        + "{\"name\":\"get_weather\",\"arguments\":{\"city\":\"Paris\"}}}]}", "\"done\":false")
                + line.formatted("{\"role\":\"assistant\",\"content\":\"\"}",
                        "\"done\":true,\"done_reason\":\"stop\",\"prompt_eval_count\":20,\"eval_count\":5");
        try (FakeProviderServer server = new FakeProviderServer(ndjson, "application/x-ndjson")) {
            ResolvedModel model = providers(ProviderKind.OLLAMA, server.root(), null, "llama3.1:8b")
                    .resolve("client-model");

            List<ChatResponse> stream = model.provider().prompt(model.modelId(), MESSAGES, WITH_TOOLS, true)
                    .stream().chatResponse().collectList().block(Duration.ofSeconds(10));

            assertThat(server.onlyRequest().body().get("stream").asBoolean()).isTrue();
            assertThat(stream).isNotNull();
            assertThat(stream).extracting(r -> r.getResult() == null ? "" : r.getResult().getOutput().getText())
                    .contains("Checking.");
            assertThat(stream).flatExtracting(r -> r.getResult() == null ? List.of() : r.getResult().getOutput().getToolCalls())
                    .extracting(call -> ((AssistantMessage.ToolCall) call).name()).containsExactly("get_weather");
        }
    }

    @Test
    void anthropicKindPostsMessagesWithApiKeyVersionSystemFieldAndTools() {
        try (FakeProviderServer server = new FakeProviderServer("""
                {"id":"msg_1","type":"message","role":"assistant","model":"claude-test",
                 "content":[{"type":"tool_use","id":"toolu_1","name":"get_weather","input":{"city":"Paris"}}],
                 "stop_reason":"tool_use","stop_sequence":null,"usage":{"input_tokens":20,"output_tokens":5}}""")) {
            ResolvedModel model = providers(ProviderKind.ANTHROPIC, server.root(), "test-key", "claude-test")
                    .resolve("client-model");

            ChatResponse response = call(model);

            FakeProviderServer.Received sent = server.onlyRequest();
            assertThat(sent.path()).isEqualTo("/v1/messages");
            assertThat(sent.header("x-api-key")).isEqualTo("test-key");
            assertThat(sent.header("anthropic-version")).isNotBlank();
            assertThat(sent.header("authorization")).isNull();
            JsonNode body = sent.body();
            assertThat(body.get("model").asString()).isEqualTo("claude-test");
            assertThat(body.get("max_tokens").asInt()).isEqualTo(256);
            assertThat(body.get("system").toString()).contains("[1] (source: rag.md > RAG)");
            assertThat(body.get("messages")).hasSize(1);
            assertThat(body.at("/messages/0/role").asString()).isEqualTo("user");
            assertThat(body.at("/messages/0/content").toString()).contains(QUESTION);
            assertThat(body.at("/tools/0/name").asString()).isEqualTo("get_weather");
            assertThat(body.at("/tools/0/input_schema/properties/city/type").asString()).isEqualTo("string");
            assertThat(body.at("/tool_choice/type").asString()).isEqualTo("any");
            assertThatToolCallCameBack(response, "get_weather");
        }
    }

    @Test
    void anthropicKindSendsTheClientsToolResultAsAToolResultBlockAfterTheToolUse() {
        try (FakeProviderServer server = new FakeProviderServer("""
                {"id":"msg_2","type":"message","role":"assistant","model":"claude-test",
                 "content":[{"type":"text","text":"It is 21 C in Paris."}],
                 "stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":30,"output_tokens":8}}""")) {
            ResolvedModel model = providers(ProviderKind.ANTHROPIC, server.root(), "test-key", "claude-test")
                    .resolve("client-model");
            List<Message> followUp = List.of(new SystemMessage(PASSAGES), new UserMessage(QUESTION),
                    AssistantMessage.builder().toolCalls(List.of(new AssistantMessage.ToolCall("toolu_1", "function",
                            "get_weather", "{\"city\":\"Paris\"}"))).build(),
                    ToolResponseMessage.builder().responses(List.of(
                            new ToolResponseMessage.ToolResponse("toolu_1", "get_weather", "21 C"))).build());

            ChatResponse response = model.provider().prompt(model.modelId(), followUp, WITH_TOOLS, false)
                    .call().chatResponse();

            JsonNode messages = server.onlyRequest().body().get("messages");
            assertThat(messages).extracting(m -> m.get("role").asString()).containsExactly("user", "assistant", "user");
            assertThat(messages.at("/1/content/0/type").asString()).isEqualTo("tool_use");
            assertThat(messages.at("/1/content/0/id").asString()).isEqualTo("toolu_1");
            assertThat(messages.at("/1/content/0/input/city").asString()).isEqualTo("Paris");
            assertThat(messages.at("/2/content/0/type").asString()).isEqualTo("tool_result");
            assertThat(messages.at("/2/content/0/tool_use_id").asString()).isEqualTo("toolu_1");
            assertThat(messages.at("/2/content/0/content").toString()).contains("21 C");
            assertThat(response.getResult().getOutput().getText()).isEqualTo("It is 21 C in Paris.");
            assertThat(response.getResult().getMetadata().getFinishReason()).isEqualTo("end_turn");
        }
    }

    @Test
    void aProviderSetToAnswerWholeAnswersUnstreamedAsksForThemNonStreamedAndHandsOverOneWholeResponse() {
        try (FakeProviderServer server = new FakeProviderServer("""
                {"id":"chatcmpl-2","object":"chat.completion","created":1700000000,"model":"gpt-test",
                 "choices":[{"index":0,"finish_reason":"length","message":{"role":"assistant",
                   "content":"Chunks keep headings [1]."}}],
                 "usage":{"prompt_tokens":20,"completion_tokens":6,"total_tokens":26}}""")) {
            ResolvedModel model = ChatProviders.create(properties(
                    Map.of("p", new Provider(ProviderKind.OPENAI, server.root() + "/v1", "k", Duration.ofSeconds(7), 0,
                            false)),
                    Map.of("client-model", new OrchestratorProperties.Model("p", "gpt-test", 16384, null))),
                    ObservationRegistry.NOOP).resolve("client-model");

            List<ChatResponse> pieces = model.provider().whole(model.modelId(), MESSAGES, PLAIN).collectList().block();

            assertThat(server.onlyRequest().body().path("stream").asBoolean(false)).isFalse();
            assertThat(pieces).hasSize(1);
            assertThat(pieces.getFirst().getResult().getOutput().getText()).isEqualTo("Chunks keep headings [1].");
            assertThat(FinishReasons.of(pieces.getFirst().getResult(), false)).isEqualTo("length");
            assertThat(pieces.getFirst().getMetadata().getUsage().getCompletionTokens()).isEqualTo(6);
            assertThat(model.provider().answersWholeUnstreamed()).isTrue();
            assertThat(model.provider().callTimeout()).isEqualTo(Duration.ofSeconds(7));
        }
        // the client's tools go along and the model's tool call comes back, never run (as when streamed)
        try (FakeProviderServer server = new FakeProviderServer("""
                {"id":"chatcmpl-3","object":"chat.completion","created":1700000000,"model":"gpt-test",
                 "choices":[{"index":0,"finish_reason":"tool_calls","message":{"role":"assistant","content":null,
                   "tool_calls":[{"id":"call_1","type":"function",
                     "function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}}]}}],
                 "usage":{"prompt_tokens":20,"completion_tokens":5,"total_tokens":25}}""")) {
            ResolvedModel model = ChatProviders.create(properties(
                    Map.of("p", new Provider(ProviderKind.OPENAI, server.root() + "/v1", "k", Duration.ofSeconds(7), 0,
                            false)),
                    Map.of("client-model", new OrchestratorProperties.Model("p", "gpt-test", 16384, null))),
                    ObservationRegistry.NOOP).resolve("client-model");

            ChatResponse response = model.provider().whole(model.modelId(), MESSAGES, WITH_TOOLS).blockLast();

            assertThat(server.onlyRequest().body().at("/tools/0/function/name").asString()).isEqualTo("get_weather");
            assertThatToolCallCameBack(response, "get_weather");
        }
        // the default streams whole answers too, so the first-token timeout keeps watching them
        assertThat(providers(ProviderKind.OPENAI, "http://127.0.0.1:9/v1", "k", "gpt-test").resolve("client-model")
                .provider().answersWholeUnstreamed()).isFalse();
    }

    @Test
    void anUnknownClientModelIsRejectedAndAModelOnAMissingProviderFailsAtStartup() {
        ChatProviders providers = providers(ProviderKind.OPENAI, "http://127.0.0.1:9/v1", "key", "gpt-test");

        assertThatThrownBy(() -> providers.resolve("gpt-9")).isInstanceOf(UnknownModelException.class)
                .hasMessageContaining("gpt-9");
        assertThat(providers.modelNames()).containsExactly("client-model");
        assertThatThrownBy(() -> ChatProviders.create(properties(
                Map.of("a", new Provider(ProviderKind.OPENAI, "http://127.0.0.1:9/v1", "k", Duration.ofSeconds(1), 0, true)),
                Map.of("m", new OrchestratorProperties.Model("b", "x", 16384, null))), ObservationRegistry.NOOP))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("'b'");
    }

    private static ChatResponse call(ResolvedModel model) {
        return model.provider().prompt(model.modelId(), MESSAGES, WITH_TOOLS, false).call().chatResponse();
    }

    /** The model's call reaches the caller; running it would have thrown (see ClientToolCallback). */
    private static void assertThatToolCallCameBack(ChatResponse response, String tool) {
        assertThat(response).isNotNull();
        AssistantMessage output = response.getResult().getOutput();
        assertThat(output.getToolCalls()).extracting(AssistantMessage.ToolCall::name).containsExactly(tool);
        assertThat(output.getToolCalls().getFirst().arguments()).contains("Paris");
    }

    private static ChatProviders providers(ProviderKind kind, String baseUrl, String apiKey, String modelId) {
        return ChatProviders.create(properties(
                Map.of("p", new Provider(kind, baseUrl, apiKey, Duration.ofSeconds(10), 0, true)),
                Map.of("client-model", new OrchestratorProperties.Model("p", modelId, 16384, null))), ObservationRegistry.NOOP);
    }

    private static OrchestratorProperties properties(Map<String, Provider> providers,
                                                     Map<String, OrchestratorProperties.Model> models) {
        return new OrchestratorProperties(null, null, null, Duration.ofSeconds(2), providers, models,
                new dev.genaiplatform.orchestrator.resilience.ResilienceSettings(Duration.ofSeconds(2),
                        Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(60), 2, Duration.ofMillis(200),
                        Duration.ofSeconds(2), Duration.ofSeconds(3), 50, 20, 10, Duration.ofSeconds(10), 64),
                null, null, null, null, null, null, null, null, null);
    }
}
