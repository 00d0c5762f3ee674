package dev.genaiplatform.orchestrator.resilience;

import com.anthropic.errors.AnthropicIoException;
import com.anthropic.errors.AnthropicServiceException;
import com.openai.errors.OpenAIInvalidDataException;
import com.openai.errors.OpenAIIoException;
import com.openai.errors.OpenAIServiceException;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import org.springframework.ai.retry.NonTransientAiException;
import org.springframework.ai.retry.TransientAiException;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import org.springframework.web.reactive.function.client.WebClientResponseException;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * What a failed model call means for the next step. Each provider SDK throws its own exceptions; this is the
 * one place that reads them.
 *
 * @param kind       what to do next
 * @param label      short name for logs, metadata and the attempts list
 * @param retryAfter how long the provider asked us to wait (429/503 {@code Retry-After}), or null
 * @param errorCode  the provider's own error code, e.g. {@code context_length_exceeded}, or null
 */
public record ModelFailure(Kind kind, String label, Duration retryAfter, String errorCode) {

    public enum Kind {
        /** 5xx, connection error, cut or malformed body: the same model may work on a second try. */
        TRANSIENT,
        /** No answer within the first-token or idle timeout: another option, not the same one again. */
        TIMEOUT,
        /** The request's deadline passed: nothing more is tried, and the provider is not blamed. */
        DEADLINE,
        /** 429: wait as told, or go elsewhere. */
        RATE_LIMITED,
        /** Our own circuit breaker or bulkhead refused the call: go elsewhere at once. */
        REFUSED_LOCALLY,
        /** The provider rejected the request itself (4xx): the client must change it; no retry, no fallback. */
        REJECTED
    }

    /** Failures that say the provider is unhealthy; only these open a circuit. */
    public boolean countsAgainstProvider() {
        return this.kind == Kind.TRANSIENT || this.kind == Kind.TIMEOUT;
    }

    /** Refused by the provider's full bulkhead (not by an open circuit): busy now, free again in a moment. */
    public boolean bulkheadFull() {
        return this.kind == Kind.REFUSED_LOCALLY && BULKHEAD_FULL.equals(this.label);
    }

    static final String BULKHEAD_FULL = "bulkhead_full";

    public static ModelFailure of(Throwable failure) {
        Throwable cause = failure;
        while (cause != null) {
            switch (cause) {
                case CallNotPermittedException open -> {
                    return new ModelFailure(Kind.REFUSED_LOCALLY, "circuit_open", null, null);
                }
                case BulkheadFullException full -> {
                    return new ModelFailure(Kind.REFUSED_LOCALLY, BULKHEAD_FULL, null, null);
                }
                case DeadlineReachedException late -> {
                    return new ModelFailure(Kind.DEADLINE, "deadline", null, null);
                }
                case TimeoutException timeout -> {
                    return new ModelFailure(Kind.TIMEOUT, "timeout", null, null);
                }
                case OpenAIServiceException service -> {
                    List<String> retryAfter = service.headers().values("retry-after");
                    List<String> retryAfterMs = service.headers().values("retry-after-ms");
                    return ofStatus(service.statusCode(), service.code().orElse(null),
                            retryAfterMs.isEmpty() ? retryAfter(retryAfter.isEmpty() ? null : retryAfter.getFirst())
                                    : Duration.ofMillis(parseLong(retryAfterMs.getFirst(), 0)));
                }
                case AnthropicServiceException service -> {
                    List<String> retryAfter = service.headers().values("retry-after");
                    return ofStatus(service.statusCode(), null,
                            retryAfter(retryAfter.isEmpty() ? null : retryAfter.getFirst()));
                }
                case WebClientResponseException response -> {
                    return ofStatus(response.getStatusCode().value(), null,
                            retryAfter(response.getHeaders().getFirst("Retry-After")));
                }
                case OpenAIInvalidDataException malformed -> {
                    return new ModelFailure(Kind.TRANSIENT, "malformed_response", null, null);
                }
                case OpenAIIoException io -> {
                    return new ModelFailure(Kind.TRANSIENT, "connection_error", null, null);
                }
                case AnthropicIoException io -> {
                    return new ModelFailure(Kind.TRANSIENT, "connection_error", null, null);
                }
                case ResourceAccessException io -> {
                    return new ModelFailure(Kind.TRANSIENT, "connection_error", null, null);
                }
                case WebClientRequestException io -> {
                    return new ModelFailure(Kind.TRANSIENT, "connection_error", null, null);
                }
                case NonTransientAiException rejected -> {
                    return new ModelFailure(Kind.REJECTED, "rejected", null, null);
                }
                case TransientAiException transientFailure -> {
                    return new ModelFailure(Kind.TRANSIENT, "server_error", null, null);
                }
                default -> cause = cause.getCause();
            }
        }
        // Anything else thrown while reading a provider's answer (a parser meeting half a JSON body, a stream
        // that ended without its closing chunk) is the provider's failure, never a 500 of ours.
        return new ModelFailure(Kind.TRANSIENT, "malformed_response", null, null);
    }

    static ModelFailure ofStatus(int status, String errorCode, Duration retryAfter) {
        if (status == 429) {
            return new ModelFailure(Kind.RATE_LIMITED, "rate_limited", retryAfter, errorCode);
        }
        if (status == 408 || status >= 500) {
            return new ModelFailure(Kind.TRANSIENT, status == 503 ? "unavailable" : "server_error_" + status,
                    retryAfter, errorCode);
        }
        return new ModelFailure(Kind.REJECTED, errorCode != null ? errorCode : "rejected_" + status, null, errorCode);
    }

    /** Seconds or an HTTP date, as RFC 9110 allows; null when absent or unreadable. */
    static Duration retryAfter(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        long seconds = parseLong(header.trim(), -1);
        if (seconds >= 0) {
            return Duration.ofSeconds(seconds);
        }
        try {
            Duration until = Duration.between(ZonedDateTime.now(),
                    ZonedDateTime.parse(header.trim(), DateTimeFormatter.RFC_1123_DATE_TIME));
            return until.isNegative() ? Duration.ZERO : until;
        }
        catch (RuntimeException unreadable) {
            return null;
        }
    }

    private static long parseLong(String text, long fallback) {
        try {
            return Long.parseLong(text);
        }
        catch (NumberFormatException ex) {
            return fallback;
        }
    }
}
