package dev.genaiplatform.launcher;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.NotFoundException;
import com.openai.errors.UnauthorizedException;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.ResponseFormatJsonSchema;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The drop-in promise: an application written against the official OpenAI Java SDK points its base URL
 * at the platform's gateway, changes nothing else, and gets answers, streams, tool calls for its own tools
 * and structured output, all through gateway, guardrails, retrieval and orchestrator.
 */
class OpenAiSdkThroughGatewayIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final FunctionDefinition CALCULATOR = FunctionDefinition.builder().name("calculator")
            .description("Evaluates an arithmetic expression and returns the exact result")
            .parameters(FunctionParameters.builder()
                    .putAdditionalProperty("type", JsonValue.from("object"))
                    .putAdditionalProperty("properties", JsonValue.from(Map.of("expression", Map.of("type", "string"))))
                    .putAdditionalProperty("required", JsonValue.from(List.of("expression")))
                    .putAdditionalProperty("additionalProperties", JsonValue.from(false))
                    .build())
            .build();

    private static OpenAIClient client;

    @BeforeAll
    static void connect() throws Exception {
        client = sdkWithKey(RunningPlatform.DEMO_KEY);
    }

    @AfterAll
    static void close() {
        if (client != null) {
            client.close();
        }
    }

    @Test
    void aPlainCallGetsAGroundedAnswer() {
        ChatCompletion completion = client.chat().completions().create(question("How does retrieval rank passages?"));

        assertThat(completion.choices().getFirst().message().content().orElseThrow()).contains("[");
        assertThat(completion.choices().getFirst().finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
        assertThat(completion._additionalProperties()).containsKey("citations");
    }

    @Test
    void aStreamAccumulatesIntoTheSameAnswerAsACall() {
        ChatCompletionCreateParams params = question("How does retrieval rank passages?");
        String whole = client.chat().completions().create(params).choices().getFirst().message().content().orElseThrow();

        ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params)) {
            stream.stream().forEach(accumulator::accumulate);
        }

        assertThat(accumulator.chatCompletion().choices().getFirst().message().content()).contains(whole);
    }

    @Test
    void theClientsOwnToolIsCalledByTheModelAndItsResultAnswered() {
        ChatCompletionCreateParams.Builder conversation = ChatCompletionCreateParams.builder().model("sim-small")
                .addUserMessage("What is (2+3)*4?").addFunctionTool(CALCULATOR);

        ChatCompletion first = client.chat().completions().create(conversation.build());

        ChatCompletion.Choice choice = first.choices().getFirst();
        assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
        ChatCompletionMessageFunctionToolCall call = choice.message().toolCalls().orElseThrow().getFirst().asFunction();
        assertThat(call.function().name()).isEqualTo("calculator");
        assertThat(JSON.readTree(call.function().arguments()).get("expression").asString()).isEqualTo("(2+3)*4");

        // the client runs its own tool and sends the result back, as any OpenAI tool loop does
        conversation.addMessage(choice.message())
                .addMessage(ChatCompletionToolMessageParam.builder().toolCallId(call.id()).content("20").build());
        ChatCompletion last = client.chat().completions().create(conversation.build());

        assertThat(last.choices().getFirst().message().content().orElseThrow()).contains("20");
        assertThat(last.choices().getFirst().finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
    }

    @Test
    void aJsonSchemaResponseFormatGetsJsonThatFollowsTheSchema() {
        ResponseFormatJsonSchema format = ResponseFormatJsonSchema.builder()
                .jsonSchema(ResponseFormatJsonSchema.JsonSchema.builder().name("grounded_reply").strict(true)
                        .schema(ResponseFormatJsonSchema.JsonSchema.Schema.builder()
                                .putAdditionalProperty("type", JsonValue.from("object"))
                                .putAdditionalProperty("properties", JsonValue.from(Map.of(
                                        "answer", Map.of("type", "string"),
                                        "answerable", Map.of("type", "boolean"))))
                                .putAdditionalProperty("required", JsonValue.from(List.of("answer", "answerable")))
                                .putAdditionalProperty("additionalProperties", JsonValue.from(false))
                                .build())
                        .build())
                .build();
        ChatCompletion completion = client.chat().completions().create(ChatCompletionCreateParams.builder()
                .model("sim-small").addUserMessage("How does retrieval rank passages? Reply in JSON.")
                .responseFormat(format).build());

        JsonNode reply = JSON.readTree(completion.choices().getFirst().message().content().orElseThrow());
        assertThat(reply.propertyNames()).containsExactlyInAnyOrder("answer", "answerable");
        assertThat(reply.get("answer").asString()).isNotBlank();
        assertThat(reply.get("answerable").isBoolean()).isTrue();
    }

    @Test
    void platformErrorsSurfaceAsTheSdksOwnExceptions() throws Exception {
        assertThatThrownBy(() -> client.chat().completions().create(ChatCompletionCreateParams.builder()
                .model("gpt-imaginary").addUserMessage("hi").build()))
                .isInstanceOf(NotFoundException.class);
        OpenAIClient stranger = sdkWithKey("not-a-key");
        try {
            assertThatThrownBy(() -> stranger.chat().completions().create(question("hi")))
                    .isInstanceOf(UnauthorizedException.class);
        } finally {
            stranger.close();
        }
    }

    private static ChatCompletionCreateParams question(String text) {
        return ChatCompletionCreateParams.builder().model("sim-small").addUserMessage(text).build();
    }

    private static OpenAIClient sdkWithKey(String key) throws Exception {
        return OpenAIOkHttpClient.builder()
                .baseUrl(RunningPlatform.gateway("/v1").toString())
                .apiKey(key)
                .maxRetries(0)
                .timeout(Duration.ofSeconds(30))
                .build();
    }
}
