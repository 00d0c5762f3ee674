package dev.genaiplatform.orchestrator.provider;

import dev.genaiplatform.orchestrator.OrchestratorProperties;
import dev.genaiplatform.orchestrator.resilience.ResilienceSettings;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.openai.OpenAiChatModel;
import org.springframework.ai.openai.OpenAiChatOptions;

/**
 * Any server that speaks OpenAI's chat completions API: OpenAI itself, vLLM, the llama.cpp server,
 * LM Studio, and the platform's simulator. Spring AI's {@link OpenAiChatModel} over the official OpenAI
 * Java SDK sends {@code POST <base-url>/chat/completions} with {@code Authorization: Bearer <api-key>}, so the
 * base URL includes {@code /v1}.
 */
final class OpenAiChatProvider extends ChatProvider {

    private OpenAiChatProvider(String name, OrchestratorProperties.Provider settings, OpenAiChatModel model,
            ObservationRegistry observations) {
        super(name, settings, model, observations);
    }

    static OpenAiChatProvider create(String name, OrchestratorProperties.Provider settings,
                                     ResilienceSettings resilience, ObservationRegistry observations) {
        // The socket read timeout is the longest silence the platform accepts (first token or between chunks):
        // a hung provider's connection is closed at the transport, not only abandoned by the caller, so it stops
        // holding one of the HTTP client's per-host slots. A provider asked for whole answers non-streamed is
        // silent until the answer is done: there the silence is the whole call's timeout.
        java.time.Duration silence = !settings.streamWholeAnswers() ? settings.timeout()
                : resilience.firstTokenTimeout().compareTo(resilience.idleTimeout()) >= 0
                ? resilience.firstTokenTimeout() : resilience.idleTimeout();
        OpenAiChatModel model = OpenAiChatModel.builder()
                .options(OpenAiChatOptions.builder()
                        .baseUrl(settings.baseUrl())
                        .apiKey(settings.apiKey())
                        .timeout(settings.timeout())
                        .maxRetries(settings.maxRetries())
                        .build())
                .observationRegistry(observations)
                // a provider that does not accept the connection fails fast, so the fallback chain can move on
                .httpClientBuilderCustomizer(http -> http.timeout(com.openai.core.Timeout.builder()
                        .connect(resilience.connectTimeout())
                        .read(silence)
                        .request(settings.timeout())
                        .build()))
                .build();
        return new OpenAiChatProvider(name, settings, model, observations);
    }

    @Override
    ChatOptions.Builder<?> options(String modelId, ModelRequest request, boolean streaming) {
        OpenAiChatOptions.Builder options = OpenAiChatOptions.builder()
                .model(modelId)
                .temperature(request.temperature())
                .topP(request.topP())
                .seed(request.seed())
                .user(request.user())
                .stop(stopOrNull(request))
                .toolChoice(request.toolChoice())
                .parallelToolCalls(request.parallelToolCalls())
                .responseFormat(responseFormat(request.responseFormat()));
        // Send the limit under the name the client used: older OpenAI-compatible servers know only max_tokens.
        if (request.maxCompletionTokens() != null) {
            options.maxCompletionTokens(request.maxCompletionTokens());
        }
        else {
            options.maxTokens(request.maxTokens());
        }
        if (streaming) {
            options.streamUsage(true);   // the model's own token counts, in a last chunk
        }
        return options;
    }

    private static OpenAiChatModel.ResponseFormat responseFormat(ModelRequest.ResponseFormat format) {
        if (format == null) {
            return null;
        }
        if (format.jsonSchema()) {
            // OpenAI reads a missing "strict" as false; Spring AI would default it to true, so say it explicitly.
            return OpenAiChatModel.ResponseFormat.builder()
                    .type(OpenAiChatModel.ResponseFormat.Type.JSON_SCHEMA)
                    .jsonSchema(format.schema())
                    .strict(Boolean.TRUE.equals(format.strict()))
                    .build();
        }
        OpenAiChatModel.ResponseFormat.Type type = format.jsonObject()
                ? OpenAiChatModel.ResponseFormat.Type.JSON_OBJECT : OpenAiChatModel.ResponseFormat.Type.TEXT;
        return OpenAiChatModel.ResponseFormat.builder().type(type).build();
    }
}
