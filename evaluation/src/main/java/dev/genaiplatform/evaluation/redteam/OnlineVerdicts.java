package dev.genaiplatform.evaluation.redteam;

import dev.genaiplatform.evaluation.safety.SafetySummary;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;

/**
 * The online half of the comparison: what the guardrails decided, per OWASP category, for the API key's tenant
 * over the red-team run's own period, read through the gateway from {@code GET /api/evaluation/safety-summary}
 * (scope {@code evaluation}), like any other client call.
 */
public class OnlineVerdicts {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI gateway;
    private final String apiKey;

    public OnlineVerdicts(URI gateway, String apiKey) {
        this.gateway = gateway;
        this.apiKey = apiKey;
    }

    /** The summary of {@code [from, to)}, or why there is none (the scorecard still prints). */
    public Result between(Instant from, Instant to) {
        URI uri = gateway.resolve("/api/evaluation/safety-summary?from=" + from + "&to=" + to);
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + apiKey).GET().build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return new Result(null, "GET " + uri.getPath() + " answered HTTP " + response.statusCode());
            }
            return new Result(JSON.readValue(response.body(), SafetySummary.class), null);
        } catch (IOException | JacksonException e) {
            return new Result(null, "GET " + uri.getPath() + " failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(null, "interrupted");
        }
    }

    /** @param summary null when unavailable, then {@code unavailable} says why */
    public record Result(SafetySummary summary, String unavailable) {
    }
}
