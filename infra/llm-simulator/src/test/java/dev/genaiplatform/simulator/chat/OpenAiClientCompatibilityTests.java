package dev.genaiplatform.simulator.chat;

import dev.genaiplatform.simulator.SimulatorServerTest;
import dev.genaiplatform.simulator.answer.GroundedAnswerComposer;
import dev.genaiplatform.simulator.model.ChatMessage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.messages.SystemMessage;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.openai.OpenAiChatModel;
import org.springframework.ai.openai.OpenAiChatOptions;
import org.springframework.ai.model.tool.ToolCallingManager;
import org.springframework.ai.model.tool.ToolExecutionResult;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.function.FunctionToolCallback;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import static dev.genaiplatform.simulator.chat.ChatCompletionsHttpTests.QUESTION;
import static dev.genaiplatform.simulator.chat.ChatCompletionsHttpTests.SYSTEM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The simulator driven by a real OpenAI client: Spring AI's OpenAI chat model, which wraps the official
 * openai-java SDK, exactly as the orchestrator uses it. If the wire format drifts from OpenAI's, the
 * SDK's parser says so here. With a tool callback, Spring AI's own tool loop runs against the simulator.
 */
@SimulatorServerTest
class OpenAiClientCompatibilityTests {

    private static final Prompt GROUNDED = new Prompt(List.of(new SystemMessage(SYSTEM), new UserMessage(QUESTION)));
    private static final String EXPECTED = new GroundedAnswerComposer(3, 0.3)
            .compose(List.of(new ChatMessage("system", SYSTEM), new ChatMessage("user", QUESTION))).text();

    @LocalServerPort
    int port;

    private OpenAiChatModel model;

    @BeforeEach
    void connect() {
        model = modelNamed("sim-small");
    }

    @Test
    void callReturnsTheGroundedAnswerAndTheUsage() {
        ChatResponse response = model.call(GROUNDED);

        assertThat(response.getResult().getOutput().getText()).isEqualTo(EXPECTED);
        assertThat(response.getResult().getMetadata().getFinishReason()).isEqualToIgnoringCase("stop");
        assertThat(response.getMetadata().getModel()).isEqualTo("sim-small");
        assertThat(response.getMetadata().getUsage().getPromptTokens()).isPositive();
        assertThat(response.getMetadata().getUsage().getCompletionTokens()).isPositive();
    }

    @Test
    void streamDeliversTheSameAnswerInManyPiecesAndTheUsageAtTheEnd() {
        List<ChatResponse> responses = model.stream(GROUNDED).collectList().block(Duration.ofSeconds(20));

        String text = responses.stream()
                .map(r -> r.getResult() == null ? null : r.getResult().getOutput().getText())
                .filter(Objects::nonNull)
                .collect(Collectors.joining());
        assertThat(text).isEqualTo(EXPECTED);
        assertThat(responses).hasSizeGreaterThan(10);
        assertThat(responses.getLast().getMetadata().getUsage().getCompletionTokens()).isPositive();
    }

    record Arithmetic(String expression) {
    }

    /** Spring AI 2 runs tools outside the model (ChatClient's advisor, or a ToolCallingManager as here). */
    @Test
    void springAiRunsTheToolTheSimulatorCallsAndGetsTheFinalAnswer() {
        List<String> asked = new CopyOnWriteArrayList<>();
        ToolCallback calculator = FunctionToolCallback.builder("calculator", (Arithmetic in) -> {
                    asked.add(in.expression());
                    return 20;
                })
                .description("Evaluates an arithmetic expression exactly").inputType(Arithmetic.class).build();

        OpenAiChatOptions options = OpenAiChatOptions.builder().model("sim-small").toolCallbacks(calculator).build();
        Prompt question = new Prompt("What is (2+3)*4?", options);

        ChatResponse call = model.call(question);
        ToolExecutionResult executed = ToolCallingManager.builder().build().executeToolCalls(question, call);
        ChatResponse answer = model.call(new Prompt(executed.conversationHistory(), options));

        assertThat(call.getResult().getMetadata().getFinishReason()).isEqualToIgnoringCase("tool_calls");
        assertThat(asked).containsExactly("(2+3)*4");
        assertThat(answer.getResult().getOutput().getText()).isEqualTo("The result of (2+3)*4 is 20.");
    }

    @Test
    void anUnknownModelSurfacesAsTheSdksNotFoundError() {
        assertThatThrownBy(() -> modelNamed("gpt-imaginary").call(GROUNDED))
                .hasMessageContaining("does not exist");
    }

    private OpenAiChatModel modelNamed(String name) {
        return OpenAiChatModel.builder()
                .options(OpenAiChatOptions.builder()
                        .baseUrl("http://127.0.0.1:" + port + "/v1")
                        .apiKey("simulator-key")
                        .model(name)
                        .maxRetries(0)
                        .build())
                .build();
    }
}
