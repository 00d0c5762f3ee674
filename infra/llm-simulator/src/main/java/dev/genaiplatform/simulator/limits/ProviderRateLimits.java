package dev.genaiplatform.simulator.limits;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * The limiter as a client meets it over HTTP: the caller is the {@code Authorization: Bearer} key (any
 * other or no header is one anonymous caller; keys are not checked, only told apart), every admitted or
 * refused response carries OpenAI's {@code x-ratelimit-*} headers, and a refusal is OpenAI's 429.
 */
public final class ProviderRateLimits {

    private static final String BEARER = "Bearer ";

    private final RateLimiter limiter;

    public ProviderRateLimits(RateLimiter limiter) {
        this.limiter = limiter;
    }

    /**
     * Admits or refuses a chat completion and puts the allowance headers on its response, whatever the
     * response turns out to be.
     */
    public RateLimitDecision admit(ServerRequest request, String model, int promptTokens, Integer maxTokens) {
        RateLimitDecision decision = limiter.admit(apiKey(request), model, limiter.tokensCharged(promptTokens, maxTokens));
        HttpHeaders headers = request.exchange().getResponse().getHeaders();
        decision.headers().forEach(headers::set);
        return decision;
    }

    /**
     * OpenAI's 429 for a refused decision: {@code {"error": {"message", "type": "requests"|"tokens",
     * "param": null, "code": "rate_limit_exceeded"}}} with {@code Retry-After} in seconds when waiting helps.
     */
    public Mono<ServerResponse> tooManyRequests(RateLimitDecision decision) {
        RateLimitDecision.Refusal refusal = decision.refusal();
        ServerResponse.BodyBuilder response = ServerResponse.status(HttpStatus.TOO_MANY_REQUESTS)
                .contentType(MediaType.APPLICATION_JSON);
        if (refusal.retryAfter() != null) {
            response.header(HttpHeaders.RETRY_AFTER, refusal.retryAfterSeconds());
        }
        return response.bodyValue(new ErrorBody(new ErrorDetail(refusal.message(), refusal.type(), null,
                "rate_limit_exceeded")));
    }

    static String apiKey(ServerRequest request) {
        String authorization = request.headers().firstHeader(HttpHeaders.AUTHORIZATION);
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return "";
        }
        return authorization.substring(BEARER.length()).strip();
    }

    /** OpenAI's error document; {@code param} is written as null, as OpenAI does. */
    record ErrorBody(ErrorDetail error) {
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    record ErrorDetail(String message, String type, String param, String code) {
    }
}
