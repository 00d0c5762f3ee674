package dev.genaiplatform.simulator.chat;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.ResponseFormatJsonSchema;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import dev.genaiplatform.simulator.JsonSchemas;
import dev.genaiplatform.simulator.SimulatorServerTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.genaiplatform.simulator.chat.ChatCompletionsHttpTests.QUESTION;
import static dev.genaiplatform.simulator.chat.ChatCompletionsHttpTests.SYSTEM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The official OpenAI Java SDK ({@code com.openai:openai-java}: its OkHttp client, request builders, response
 * parsers and stream accumulator), unchanged, against the simulator: call, stream, tools with the result
 * sent back, a streamed tool call, json_schema, seed and temperature, stop and max_tokens, 400s.
 */
@SimulatorServerTest
class OpenAiSdkCompatibilityTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    private OpenAIClient client;

    @BeforeEach
    void connect() {
        client = OpenAIOkHttpClient.builder()
                .baseUrl("http://127.0.0.1:" + port + "/v1")
                .apiKey("sk-test-" + UUID.randomUUID()) // its own rate-limit allowance
                .maxRetries(0)
                .timeout(Duration.ofSeconds(20))
                .build();
    }

    @AfterEach
    void close() {
        client.close();
    }

    /**
     * Built with the SDK's own builders. Its class-based helpers ({@code addTool(Class)}, {@code
     * responseFormat(Class)}) cannot run next to Spring AI 2.0.1: they need victools jsonschema-generator 4.x
     * (Jackson 2), and Spring AI brings 5.0.0 (Jackson 3), so they fail with NoSuchMethodError.
     */
    private static final FunctionDefinition CALCULATOR = FunctionDefinition.builder().name("calculator")
            .description("Evaluates an arithmetic expression and returns the exact result").strict(true)
            .parameters(FunctionParameters.builder()
                    .putAdditionalProperty("type", JsonValue.from("object"))
                    .putAdditionalProperty("properties", JsonValue.from(Map.of("expression", Map.of("type", "string",
                            "description", "the expression, e.g. (2+3)*4"))))
                    .putAdditionalProperty("required", JsonValue.from(List.of("expression")))
                    .putAdditionalProperty("additionalProperties", JsonValue.from(false))
                    .build())
            .build();
    private static final String GROUNDED_REPLY = "{\"type\":\"object\",\"properties\":{\"answer\":{\"type\":\"string\"},"
            + "\"citations\":{\"type\":\"array\",\"items\":{\"type\":\"integer\"}},\"answerable\":{\"type\":\"boolean\"}},"
            + "\"required\":[\"answer\",\"citations\",\"answerable\"],\"additionalProperties\":false}";

    record GroundedReply(String answer, List<Long> citations, boolean answerable) {
    }

    @Test
    void callReturnsTheGroundedAnswer() {
        ChatCompletion completion = client.chat().completions().create(grounded().build());

        String content = completion.choices().getFirst().message().content().orElseThrow();
        assertThat(content).contains("Retrieval ranks passages").contains("[1]");
        assertThat(completion.choices().getFirst().finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
        assertThat(completion.usage().orElseThrow().completionTokens()).isPositive();
    }

    @Test
    void streamAccumulatesToTheSameAnswer() {
        String whole = client.chat().completions().create(grounded().build()).choices().getFirst().message().content()
                .orElseThrow();
        ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(grounded().build())) {
            stream.stream().forEach(accumulator::accumulate);
        }

        assertThat(accumulator.chatCompletion().choices().getFirst().message().content()).contains(whole);
    }

    @Test
    void toolCallThenToolResultThenFinalAnswer() {
        ChatCompletionCreateParams.Builder conversation = ChatCompletionCreateParams.builder().model("sim-small")
                .addUserMessage("What is (2+3)*4?").addFunctionTool(CALCULATOR);

        ChatCompletion first = client.chat().completions().create(conversation.build());

        ChatCompletion.Choice choice = first.choices().getFirst();
        assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
        assertThat(choice.message().content()).isEmpty();
        ChatCompletionMessageFunctionToolCall call = choice.message().toolCalls().orElseThrow().getFirst().asFunction();
        assertThat(call.function().name()).isEqualTo("calculator");
        assertThat(JSON.readTree(call.function().arguments()).get("expression").asString()).isEqualTo("(2+3)*4");

        conversation.addMessage(choice.message()).addMessage(ChatCompletionToolMessageParam.builder()
                .toolCallId(call.id()).content("20").build());
        ChatCompletion last = client.chat().completions().create(conversation.build());

        assertThat(last.choices().getFirst().message().content()).contains("The result of (2+3)*4 is 20.");
        assertThat(last.choices().getFirst().finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
    }

    @Test
    void aStreamedToolCallAccumulatesIntoTheSameCall() {
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model("sim-small")
                .addUserMessage("What is 12 times 7?").addFunctionTool(CALCULATOR).build();
        ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params)) {
            stream.stream().forEach(accumulator::accumulate);
        }

        ChatCompletion.Choice choice = accumulator.chatCompletion().choices().getFirst();
        ChatCompletionMessageFunctionToolCall call = choice.message().toolCalls().orElseThrow().getFirst().asFunction();
        assertThat(call.id()).startsWith("call_");
        assertThat(JSON.readTree(call.function().arguments()).get("expression").asString()).isEqualTo("12 * 7");
        assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
    }

    @Test
    void strictStructuredOutputParsesIntoARecord() {
        ChatCompletion completion = client.chat().completions().create(grounded()
                .responseFormat(jsonSchema("grounded_reply", GROUNDED_REPLY)).build());

        GroundedReply reply = JSON.readValue(completion.choices().getFirst().message().content().orElseThrow(),
                GroundedReply.class);
        assertThat(reply.answer()).contains("Retrieval ranks passages");
        assertThat(reply.citations()).containsExactly(1L);
        assertThat(reply.answerable()).isTrue();
    }

    @Test
    void aRawJsonSchemaGetsContentThatValidatesAgainstIt() {
        String schema = "{\"type\":\"object\",\"properties\":{\"summary\":{\"type\":\"string\",\"maxLength\":80},"
                + "\"kind\":{\"type\":\"string\",\"enum\":[\"howto\",\"concept\"]},\"sources\":{\"type\":\"array\","
                + "\"items\":{\"type\":\"string\"},\"minItems\":1}},\"required\":[\"summary\",\"kind\",\"sources\"],"
                + "\"additionalProperties\":false}";
        ChatCompletion completion = client.chat().completions().create(grounded()
                .responseFormat(jsonSchema("summary", schema)).build());

        JsonNode content = JSON.readTree(completion.choices().getFirst().message().content().orElseThrow());
        assertThat(JsonSchemas.violations(JSON.readTree(schema), content)).isEmpty();
        assertThat(content.get("sources").get(0).asString()).startsWith("architecture.md");
    }

    @Test
    void seedAndTemperatureBehaveAsDocumented() {
        String deterministic = text(grounded().temperature(0.0).seed(1));
        assertThat(text(grounded().temperature(0.0).seed(2))).isEqualTo(deterministic);
        assertThat(text(grounded().temperature(1.0).seed(5))).isEqualTo(text(grounded().temperature(1.0).seed(5)));

        List<String> seeds = List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L).stream()
                .map(seed -> text(grounded().temperature(1.0).seed(seed))).distinct().toList();
        assertThat(seeds).hasSizeGreaterThan(1);
    }

    @Test
    void nChoicesComeBackIndexedAndStreamIntoTheSameChoices() {
        ChatCompletion completion = client.chat().completions().create(grounded().n(3).temperature(1.0).seed(3).build());
        ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions()
                .createStreaming(grounded().n(3).temperature(1.0).seed(3).build())) {
            stream.stream().forEach(accumulator::accumulate);
        }

        assertThat(completion.choices()).extracting(ChatCompletion.Choice::index).containsExactly(0L, 1L, 2L);
        assertThat(accumulator.chatCompletion().choices()).extracting(c -> c.message().content().orElseThrow())
                .containsExactlyElementsOf(completion.choices().stream()
                        .map(c -> c.message().content().orElseThrow()).toList());
    }

    @Test
    void stopAndMaxTokensEndTheAnswerWithTheirFinishReasons() {
        ChatCompletion stopped = client.chat().completions().create(grounded().stop(" [1]").build());
        ChatCompletion cut = client.chat().completions().create(grounded().maxCompletionTokens(5).build());

        assertThat(stopped.choices().getFirst().message().content().orElseThrow()).doesNotContain("[1]").isNotEmpty();
        assertThat(stopped.choices().getFirst().finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
        assertThat(cut.choices().getFirst().finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.LENGTH);
        assertThat(cut.usage().orElseThrow().completionTokens()).isEqualTo(5);
    }

    @Test
    void outOfRangeSamplingParametersSurfaceAsTheSdksBadRequest() {
        assertThatThrownBy(() -> client.chat().completions().create(grounded().temperature(3.0).build()))
                .isInstanceOf(BadRequestException.class).hasMessageContaining("temperature");
        assertThatThrownBy(() -> client.chat().completions().create(grounded().n(129).build()))
                .isInstanceOf(BadRequestException.class).hasMessageContaining("'n'");
        assertThatThrownBy(() -> client.chat().completions().create(grounded()
                .responseFormat(com.openai.models.ResponseFormatJsonObject.builder().build()).build()))
                .isInstanceOf(BadRequestException.class).hasMessageContaining("json");
    }

    private static ResponseFormatJsonSchema jsonSchema(String name, String schema) {
        ResponseFormatJsonSchema.JsonSchema.Schema.Builder sdkSchema = ResponseFormatJsonSchema.JsonSchema.Schema.builder();
        JSON.readValue(schema, Map.class).forEach((k, v) -> sdkSchema.putAdditionalProperty((String) k, JsonValue.from(v)));
        return ResponseFormatJsonSchema.builder().jsonSchema(ResponseFormatJsonSchema.JsonSchema.builder()
                .name(name).strict(true).schema(sdkSchema.build()).build()).build();
    }

    private String text(ChatCompletionCreateParams.Builder params) {
        return client.chat().completions().create(params.build()).choices().getFirst().message().content().orElseThrow();
    }

    private static ChatCompletionCreateParams.Builder grounded() {
        return ChatCompletionCreateParams.builder().model("sim-small").addSystemMessage(SYSTEM).addUserMessage(QUESTION);
    }

}
