package dev.genaiplatform.simulator.limits;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the limiter decided about one request, and what to tell the caller about its allowance.
 *
 * @param refusal  null when the request may go on; else which limit refused it
 * @param requests the request allowance after the decision, or null when requests are not limited
 * @param tokens   the token allowance after the decision, or null when tokens are not limited
 */
public record RateLimitDecision(Refusal refusal, Allowance requests, Allowance tokens) {

    static final RateLimitDecision UNLIMITED = new RateLimitDecision(null, null, null);

    public boolean allowed() {
        return refusal == null;
    }

    /**
     * OpenAI's {@code x-ratelimit-*} headers for the limits that apply, in OpenAI's order; empty when the
     * model is not limited.
     */
    public Map<String, String> headers() {
        Map<String, String> headers = new LinkedHashMap<>();
        if (requests != null) {
            headers.put("x-ratelimit-limit-requests", Long.toString(requests.limit()));
        }
        if (tokens != null) {
            headers.put("x-ratelimit-limit-tokens", Long.toString(tokens.limit()));
        }
        if (requests != null) {
            headers.put("x-ratelimit-remaining-requests", Long.toString(requests.remaining()));
        }
        if (tokens != null) {
            headers.put("x-ratelimit-remaining-tokens", Long.toString(tokens.remaining()));
        }
        if (requests != null) {
            headers.put("x-ratelimit-reset-requests", GoDuration.format(requests.untilFull()));
        }
        if (tokens != null) {
            headers.put("x-ratelimit-reset-tokens", GoDuration.format(tokens.untilFull()));
        }
        return headers;
    }

    /**
     * One limit's state as the caller sees it.
     *
     * @param limit     the allowance per minute
     * @param remaining whole units left now
     * @param untilFull how long until the allowance is whole again
     */
    public record Allowance(long limit, long remaining, Duration untilFull) {
    }

    /**
     * Why a request was refused, in the words OpenAI uses.
     *
     * @param type       {@code requests} or {@code tokens}, OpenAI's error {@code type} for a rate limit
     * @param message    OpenAI's message, naming the limit, the use and when to try again
     * @param retryAfter when a retry can succeed, or null when it never can (a request larger than the
     *                   whole per-minute token allowance)
     */
    public record Refusal(String type, String message, Duration retryAfter) {

        /** The {@code Retry-After} header value: whole seconds, rounded up so the retry is not early. */
        public String retryAfterSeconds() {
            long millis = retryAfter.toMillis();
            return Long.toString(Math.max(1, (millis + 999) / 1000));
        }
    }
}
