package dev.genaiplatform.orchestrator.provider;

import dev.genaiplatform.orchestrator.OrchestratorProperties;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.ollama.OllamaChatModel;
import org.springframework.ai.ollama.api.OllamaApi;
import org.springframework.ai.ollama.api.OllamaChatOptions;
import org.springframework.ai.retry.TransientAiException;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.json.JsonMapper;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;

/**
 * An Ollama server through its native API ({@code POST <base-url>/api/chat}, no authentication). Ollama has
 * no {@code tool_choice}: the model decides whether to call an offered tool.
 */
final class OllamaChatProvider extends ChatProvider {

    private static final JsonMapper JSON = new JsonMapper();

    private OllamaChatProvider(String name, OrchestratorProperties.Provider settings, OllamaChatModel model,
            ObservationRegistry observations) {
        super(name, settings, model, observations);
    }

    static OllamaChatProvider create(String name, OrchestratorProperties.Provider settings,
                                     ObservationRegistry observations) {
        JdkClientHttpRequestFactory requests = new JdkClientHttpRequestFactory(
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build());
        requests.setReadTimeout(settings.timeout());
        OllamaApi api = OllamaApi.builder()
                .baseUrl(settings.baseUrl() != null ? settings.baseUrl() : "http://127.0.0.1:11434")
                .restClientBuilder(RestClient.builder().requestFactory(requests))
                .build();
        OllamaChatModel model = OllamaChatModel.builder()
                .ollamaApi(api)
                .options(OllamaChatOptions.builder().build())
                .observationRegistry(observations)
                .retryTemplate(retries(settings.maxRetries()))
                .build();
        return new OllamaChatProvider(name, settings, model, observations);
    }

    /** Spring AI's default for Ollama retries ten times with minutes of backoff; use the configured count. */
    private static RetryTemplate retries(int maxRetries) {
        return new RetryTemplate(RetryPolicy.builder()
                .maxRetries(maxRetries)
                .includes(TransientAiException.class, ResourceAccessException.class)
                .delay(Duration.ofMillis(500))
                .build());
    }

    @Override
    ChatOptions.Builder<?> options(String modelId, ModelRequest request, boolean streaming) {
        return OllamaChatOptions.builder()
                .model(modelId)
                .temperature(request.temperature())
                .topP(request.topP())
                .maxTokens(request.answerTokenLimit())
                .stop(stopOrNull(request))
                .seed(request.seed())
                .format(format(request.responseFormat()));
    }

    /** Ollama's {@code format}: {@code "json"} for any JSON, or the JSON schema itself. */
    private static Object format(ModelRequest.ResponseFormat format) {
        if (format == null) {
            return null;
        }
        if (format.jsonSchema()) {
            return JSON.readValue(format.schema(), Map.class);
        }
        return format.jsonObject() ? "json" : null;
    }
}
