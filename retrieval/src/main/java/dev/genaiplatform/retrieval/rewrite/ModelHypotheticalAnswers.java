package dev.genaiplatform.retrieval.rewrite;

import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.ClassPathResource;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@link HypotheticalAnswers} from a chat model behind an OpenAI-compatible {@code /chat/completions} endpoint, with
 * the instructions of {@code prompts/hyde.st}. One model call per search that asks for HyDE, bounded by the client's
 * timeout; a failure, a timeout or an empty answer means no passage (counted), never a failed search.
 */
public final class ModelHypotheticalAnswers implements HypotheticalAnswers {

    private static final Logger log = LoggerFactory.getLogger(ModelHypotheticalAnswers.class);

    private final RestClient http;
    private final String model;
    private final int maxChars;
    private final MeterRegistry meters;
    private final String instructions;

    /**
     * @param http     a client whose base URL is the provider's, with its key and timeouts set
     * @param maxChars a longer passage is cut to this length (MiniLM reads about 1,000 characters well)
     */
    public ModelHypotheticalAnswers(RestClient http, String model, int maxChars, MeterRegistry meters) {
        this.http = http;
        this.model = model;
        this.maxChars = maxChars;
        this.meters = meters;
        try {
            this.instructions = new ClassPathResource("prompts/hyde.st").getContentAsString(StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Optional<String> write(String question) {
        try {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("model", model);
            body.put("temperature", 0);
            body.put("max_tokens", 256);
            body.put("messages", List.of(Map.of("role", "system", "content", instructions), Map.of("role", "user", "content", question)));
            JsonNode response = http.post().uri("/chat/completions").body(body).retrieve().body(JsonNode.class);
            JsonNode content = response == null ? null : response.path("choices").path(0).path("message").path("content");
            String passage = content != null && content.isString() ? content.asString().strip() : "";
            if (passage.isEmpty()) {
                throw new IllegalStateException("no passage in the model's answer");
            }
            meters.counter("retrieval.hyde", "outcome", "written").increment();
            return Optional.of(passage.length() > maxChars ? passage.substring(0, maxChars) : passage);
        } catch (RuntimeException e) {
            log.warn("HyDE model failed ({}); searching without a hypothetical passage", e.toString());
            meters.counter("retrieval.hyde", "outcome", "failed").increment();
            return Optional.empty();
        }
    }
}
