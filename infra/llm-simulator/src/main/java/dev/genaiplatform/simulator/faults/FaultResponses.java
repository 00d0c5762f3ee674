package dev.genaiplatform.simulator.faults;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

import java.time.Duration;

/** What the simulator sends in the model's place, each as close as possible to what OpenAI's API sends. */
final class FaultResponses {

    /** What a proxy in front of the provider sends when the provider does not answer it properly. */
    static final String BAD_GATEWAY_PAGE = """
            <html>
            <head><title>502 Bad Gateway</title></head>
            <body>
            <center><h1>502 Bad Gateway</h1></center>
            <hr><center>cloudflare</center>
            </body>
            </html>
            """;

    private FaultResponses() {
    }

    static Mono<ServerResponse> serverError() {
        return error(HttpStatus.INTERNAL_SERVER_ERROR, "The server had an error while processing your request. "
                + "Sorry about that!", "server_error", null, null);
    }

    static Mono<ServerResponse> badGateway() {
        return ServerResponse.status(HttpStatus.BAD_GATEWAY).contentType(MediaType.TEXT_HTML).bodyValue(BAD_GATEWAY_PAGE);
    }

    static Mono<ServerResponse> unavailable(Duration retryAfter) {
        return ServerResponse.status(HttpStatus.SERVICE_UNAVAILABLE).contentType(MediaType.APPLICATION_JSON)
                .header(HttpHeaders.RETRY_AFTER, seconds(retryAfter))
                .bodyValue(body("The engine is currently overloaded, please try again later.", "server_error", null, null));
    }

    /** A 429 that looks like the real limiter's, with no request allowance left until the retry time. */
    static Mono<ServerResponse> rateLimitStorm(String model, Duration retryAfter) {
        return ServerResponse.status(HttpStatus.TOO_MANY_REQUESTS).contentType(MediaType.APPLICATION_JSON)
                .header(HttpHeaders.RETRY_AFTER, seconds(retryAfter))
                .header("x-ratelimit-remaining-requests", "0")
                .header("x-ratelimit-reset-requests", seconds(retryAfter) + "s")
                .bodyValue(body("Rate limit reached for " + model + " on requests per min (RPM): the provider is "
                        + "shedding load (simulated rate-limit storm). Please try again in " + seconds(retryAfter)
                        + "s.", "requests", null, "rate_limit_exceeded"));
    }

    /** OpenAI's message, with a window just below the prompt when none is given, so the numbers agree. */
    static Mono<ServerResponse> contextLengthExceeded(Integer reportedWindow, int promptTokens) {
        int window = reportedWindow != null ? reportedWindow : Math.max(1, promptTokens - 1);
        return error(HttpStatus.BAD_REQUEST, "This model's maximum context length is " + window + " tokens. However, "
                + "your messages resulted in " + promptTokens + " tokens. Please reduce the length of the messages.",
                "invalid_request_error", "messages", "context_length_exceeded");
    }

    static Mono<ServerResponse> invalidFaultHeader(String message) {
        return error(HttpStatus.BAD_REQUEST, message, "invalid_request_error", FaultInjectionFilter.HEADER,
                "invalid_value");
    }

    private static Mono<ServerResponse> error(HttpStatus status, String message, String type, String param, String code) {
        return ServerResponse.status(status).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body(message, type, param, code));
    }

    static ErrorBody body(String message, String type, String param, String code) {
        return new ErrorBody(new ErrorDetail(message, type, param, code));
    }

    /** Whole seconds, never 0: a zero would invite an immediate retry storm. */
    private static String seconds(Duration duration) {
        return Long.toString(Math.max(1, (duration.toMillis() + 999) / 1000));
    }

    /** OpenAI's error document; null members are written, as OpenAI does. */
    record ErrorBody(ErrorDetail error) {
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    record ErrorDetail(String message, String type, String param, String code) {
    }
}
