package dev.genaiplatform.evaluation.judge;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Groundedness judged by a second model (LLM-as-judge), next to the offline lexical measure: the model reads the
 * question, the cited passages and the answer, and counts the sentences the passages support. Off by default; it
 * needs a real provider (any OpenAI-compatible {@code /chat/completions}), configured by URL, model and key.
 *
 * <p>The prompt is a versioned resource ({@value #PROMPT}); a result records the version, because a judge's
 * numbers change when its prompt does. Known pitfalls: a judge prefers longer answers and answers in its own
 * style, may be lenient with its own model family, and is not deterministic without temperature 0 and a seed
 * (both sent). Read its agreement with the offline measure before trusting either.
 */
public class GroundednessJudge {

    public static final String PROMPT = "prompts/groundedness-judge-v1.st";
    public static final String PROMPT_VERSION = "groundedness-judge@v1";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Pattern JSON_OBJECT = Pattern.compile("\\{[^{}]*}");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI completions;
    private final String apiKey;
    private final String model;
    private final String template;

    /**
     * @param baseUrl the provider's OpenAI-compatible base URL, {@code /v1} included (e.g. https://api.openai.com/v1)
     * @param apiKey  its key, from the environment; never committed
     * @param model   the judge model
     */
    public GroundednessJudge(URI baseUrl, String apiKey, String model) {
        String base = baseUrl.toString();
        this.completions = URI.create((base.endsWith("/") ? base : base + "/") + "chat/completions");
        this.apiKey = apiKey;
        this.model = model;
        try (InputStream in = GroundednessJudge.class.getClassLoader().getResourceAsStream(PROMPT)) {
            this.template = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The prompt sent for one answer. */
    String prompt(String question, List<String> passages, String answer) {
        StringBuilder numbered = new StringBuilder();
        for (int i = 0; i < passages.size(); i++) {
            numbered.append('[').append(i + 1).append("] ").append(passages.get(i)).append("\n\n");
        }
        return template.replace("{question}", question).replace("{passages}", numbered.toString().strip())
                .replace("{answer}", answer);
    }

    /** Share of sentences the judge found supported, or empty when the judge failed or answered off format. */
    public Optional<Double> score(String question, List<String> passages, String answer) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("model", model);
        body.put("temperature", 0);
        body.put("seed", 7);
        body.put("messages", List.of(Map.of("role", "user", "content", prompt(question, passages, answer))));
        HttpRequest request = HttpRequest.newBuilder(completions).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + apiKey).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return Optional.empty();
            }
            return parse(JSON.readTree(response.body()).at("/choices/0/message/content").asString(""));
        } catch (IOException | JacksonException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** Reads {@code {"sentences": m, "supported": k}}, tolerating text or a code fence around it. */
    static Optional<Double> parse(String content) {
        Matcher object = JSON_OBJECT.matcher(content);
        if (!object.find()) {
            return Optional.empty();
        }
        try {
            JsonNode verdict = JSON.readTree(object.group());
            int sentences = verdict.path("sentences").asInt(0);
            int supported = verdict.path("supported").asInt(-1);
            if (sentences <= 0 || supported < 0 || supported > sentences) {
                return Optional.empty();
            }
            return Optional.of((double) supported / sentences);
        } catch (JacksonException e) {
            return Optional.empty();
        }
    }

    /**
     * How often judge and offline measure agree that an answer is fully grounded, over answers both scored.
     *
     * @param pairs     answers both scored
     * @param agreement share where both say "fully grounded" or both say "not"; null without pairs
     * @param meanAbsoluteDifference mean |judge − offline|; null without pairs
     */
    public record Agreement(int pairs, Double agreement, Double meanAbsoluteDifference) {

        public static Agreement of(List<double[]> offlineAndJudge) {
            if (offlineAndJudge.isEmpty()) {
                return new Agreement(0, null, null);
            }
            double agree = 0;
            double difference = 0;
            for (double[] pair : offlineAndJudge) {
                if ((pair[0] >= 0.999) == (pair[1] >= 0.999)) {
                    agree++;
                }
                difference += Math.abs(pair[0] - pair[1]);
            }
            return new Agreement(offlineAndJudge.size(), agree / offlineAndJudge.size(),
                    difference / offlineAndJudge.size());
        }
    }
}
