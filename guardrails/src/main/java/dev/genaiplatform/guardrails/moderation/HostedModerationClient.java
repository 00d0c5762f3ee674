package dev.genaiplatform.guardrails.moderation;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * An optional hosted moderation endpoint speaking the OpenAI {@code /v1/moderations} shape ({@code {"input",
 * "model"}} in, {@code results[0].category_scores} out), switched on only by configuration
 * ({@code platform.guardrails.moderation.hosted-url}). Its scores are combined with the local classifier's by
 * taking the higher. It never decides alone when it fails: a timeout, an error status or an unreadable answer
 * yields no scores (logged), and the local rules and classifier still decide.
 */
public final class HostedModerationClient {

    private static final Logger log = LoggerFactory.getLogger(HostedModerationClient.class);

    /** Provider category names (OpenAI's) mapped to ours; the highest of a category's names counts. */
    private static final Map<String, ModerationCategory> CATEGORIES = Map.ofEntries(
            Map.entry("violence", ModerationCategory.VIOLENCE),
            Map.entry("violence/graphic", ModerationCategory.VIOLENCE),
            Map.entry("harassment/threatening", ModerationCategory.VIOLENCE),
            Map.entry("self-harm", ModerationCategory.SELF_HARM),
            Map.entry("self-harm/intent", ModerationCategory.SELF_HARM),
            Map.entry("self-harm/instructions", ModerationCategory.SELF_HARM),
            Map.entry("hate", ModerationCategory.HATE_HARASSMENT),
            Map.entry("hate/threatening", ModerationCategory.HATE_HARASSMENT),
            Map.entry("harassment", ModerationCategory.HATE_HARASSMENT),
            Map.entry("sexual/minors", ModerationCategory.SEXUAL_MINORS),
            Map.entry("illicit", ModerationCategory.ILLEGAL_INSTRUCTIONS),
            Map.entry("illicit/violent", ModerationCategory.ILLEGAL_INSTRUCTIONS));

    private final URI endpoint;
    private final String model;
    private final String apiKey;
    private final Duration timeout;
    private final HttpClient http;
    private final JsonMapper json = JsonMapper.builder().build();

    /**
     * @param apiKey bearer key, from the environment ({@code GUARDRAILS_MODERATION_API_KEY}); null for none
     */
    public HostedModerationClient(URI endpoint, String model, String apiKey, Duration timeout) {
        this.endpoint = endpoint;
        this.model = model;
        this.apiKey = apiKey;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    /** The endpoint's scores in our categories; empty when it could not answer. */
    public Map<ModerationCategory, Double> score(String text) {
        Map<ModerationCategory, Double> scores = new EnumMap<>(ModerationCategory.class);
        try {
            var body = json.createObjectNode().put("input", text);
            if (model != null && !model.isBlank()) {
                body.put("model", model);
            }
            HttpRequest.Builder request = HttpRequest.newBuilder(endpoint).timeout(timeout)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
            if (apiKey != null && !apiKey.isBlank()) {
                request.header("Authorization", "Bearer " + apiKey);
            }
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                log.warn("Hosted moderation answered {}; local checks decide alone", response.statusCode());
                return scores;
            }
            JsonNode categoryScores = json.readTree(response.body()).path("results").path(0).path("category_scores");
            for (Map.Entry<String, ModerationCategory> entry : CATEGORIES.entrySet()) {
                JsonNode score = categoryScores.get(entry.getKey());
                if (score != null && score.isNumber()) {
                    scores.merge(entry.getValue(), Math.clamp(score.asDouble(), 0.0, 1.0), Math::max);
                }
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        catch (Exception e) {
            log.warn("Hosted moderation failed ({}); local checks decide alone", e.toString());
        }
        return scores;
    }
}
