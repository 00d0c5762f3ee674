package dev.genaiplatform.orchestrator.provider;

import com.anthropic.models.messages.ToolChoice;
import com.anthropic.models.messages.ToolChoiceAny;
import com.anthropic.models.messages.ToolChoiceAuto;
import com.anthropic.models.messages.ToolChoiceNone;
import com.anthropic.models.messages.ToolChoiceTool;
import dev.genaiplatform.orchestrator.OrchestratorProperties;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.ai.anthropic.AnthropicChatModel;
import org.springframework.ai.anthropic.AnthropicChatOptions;
import org.springframework.ai.chat.prompt.ChatOptions;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Anthropic's Messages API ({@code POST <base-url>/v1/messages} with {@code x-api-key} and
 * {@code anthropic-version}), through Spring AI's {@link AnthropicChatModel} over the official Anthropic
 * Java SDK. System messages become Anthropic's {@code system} field; OpenAI's {@code tool_choice} values map
 * to Anthropic's ({@code required} is {@code any}). {@code json_object} has no Anthropic counterpart and is
 * not forwarded; {@code json_schema} becomes Anthropic's JSON output format. Anthropic has no seed.
 */
final class AnthropicChatProvider extends ChatProvider {

    private static final JsonMapper JSON = new JsonMapper();

    private AnthropicChatProvider(String name, OrchestratorProperties.Provider settings, AnthropicChatModel model,
            ObservationRegistry observations) {
        super(name, settings, model, observations);
    }

    static AnthropicChatProvider create(String name, OrchestratorProperties.Provider settings,
                                        ObservationRegistry observations) {
        AnthropicChatModel model = AnthropicChatModel.builder()
                .options(AnthropicChatOptions.builder()
                        .baseUrl(settings.baseUrl())
                        .apiKey(settings.apiKey())
                        .timeout(settings.timeout())
                        .maxRetries(settings.maxRetries())
                        // Anthropic requires max_tokens on every request
                        .maxTokens(AnthropicChatOptions.DEFAULT_MAX_TOKENS)
                        .build())
                .observationRegistry(observations)
                .build();
        return new AnthropicChatProvider(name, settings, model, observations);
    }

    @Override
    ChatOptions.Builder<?> options(String modelId, ModelRequest request, boolean streaming) {
        AnthropicChatOptions.Builder options = AnthropicChatOptions.builder()
                .model(modelId)
                .temperature(request.temperature())
                .topP(request.topP())
                .stopSequences(stopOrNull(request))
                .toolChoice(toolChoice(request.toolChoice()));
        if (request.answerTokenLimit() != null) {
            options.maxTokens(request.answerTokenLimit());
        }
        if (request.responseFormat() != null && request.responseFormat().jsonSchema()) {
            options.outputSchema(request.responseFormat().schema());
        }
        return options;
    }

    static ToolChoice toolChoice(String openAiChoice) {
        if (openAiChoice == null) {
            return null;
        }
        return switch (openAiChoice) {
            case "auto" -> ToolChoice.ofAuto(ToolChoiceAuto.builder().build());
            case "required" -> ToolChoice.ofAny(ToolChoiceAny.builder().build());
            case "none" -> ToolChoice.ofNone(ToolChoiceNone.builder().build());
            default -> {
                JsonNode named = JSON.readTree(openAiChoice);
                yield ToolChoice.ofTool(ToolChoiceTool.builder()
                        .name(named.path("function").path("name").asString())
                        .build());
            }
        };
    }
}
