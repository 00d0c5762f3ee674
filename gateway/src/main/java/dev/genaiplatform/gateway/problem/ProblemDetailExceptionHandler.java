package dev.genaiplatform.gateway.problem;

import java.net.ConnectException;
import java.net.URI;
import java.util.List;
import java.util.concurrent.TimeoutException;

import dev.genaiplatform.contracts.problem.ProblemType;
import io.netty.handler.timeout.ReadTimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.PrematureCloseException;

import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.codec.HttpMessageWriter;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.web.ErrorResponse;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.reactive.result.view.ViewResolver;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;

/**
 * Turns every failure the gateway itself sees into an {@code application/problem+json} answer: the
 * problems filters signal, Spring's own status errors (404 no route, 405), and a backend that cannot
 * be reached (503), answers too late (504) or hangs up (502). Runs before Spring Boot's handler, which
 * would answer 500 with its own JSON. Error responses a backend sends are not exceptions: they pass
 * through untouched. Once a response has started nothing can be written here, so the connection is closed; a
 * streamed chat completion never gets that far: it ends with an error event ({@code streaming.StreamEndingFilter}).
 */
public final class ProblemDetailExceptionHandler implements WebExceptionHandler, Ordered {

    private static final Logger log = LoggerFactory.getLogger(ProblemDetailExceptionHandler.class);

    private final ServerResponse.Context context;

    public ProblemDetailExceptionHandler(ServerCodecConfigurer codecs) {
        List<HttpMessageWriter<?>> writers = codecs.getWriters();
        this.context = new ServerResponse.Context() {
            @Override
            public List<HttpMessageWriter<?>> messageWriters() {
                return writers;
            }

            @Override
            public List<ViewResolver> viewResolvers() {
                return List.of();
            }
        };
    }

    @Override
    public int getOrder() {
        // Spring Boot's DefaultErrorWebExceptionHandler is -1.
        return -2;
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable failure) {
        if (exchange.getResponse().isCommitted()) {
            return Mono.error(failure);
        }
        HttpHeaders headers = new HttpHeaders();
        ProblemDetail problem = toProblem(exchange, failure, headers);
        problem.setInstance(instance(exchange));
        return ServerResponse.status(problem.getStatus())
            .headers(h -> h.addAll(headers))
            .contentType(MediaType.APPLICATION_PROBLEM_JSON)
            .bodyValue(problem)
            .flatMap(response -> response.writeTo(exchange, context));
    }

    private ProblemDetail toProblem(ServerWebExchange exchange, Throwable failure, HttpHeaders headers) {
        if (failure instanceof ErrorResponse response && response.getBody().getType() != null
                && response.getBody().getType().toString().startsWith(ProblemType.TYPE_PREFIX)) {
            headers.addAll(response.getHeaders());
            return response.getBody();
        }
        String route = routeId(exchange);
        if (isRequestTimeout(failure)) {
            headers.set(HttpHeaders.CONNECTION, "close");
            return Problems.problem(ProblemType.REQUEST_TIMEOUT, "The request did not arrive in time.", null);
        }
        if (hasCause(failure, ConnectException.class)) {
            log.warn("Backend of route {} unreachable: {}", route, failure.toString());
            return Problems.problem(ProblemType.UPSTREAM_UNAVAILABLE, "The backend service is unavailable; try again later.", null);
        }
        if (isTimeout(failure)) {
            log.warn("Backend of route {} timed out: {}", route, failure.toString());
            return Problems.problem(ProblemType.UPSTREAM_TIMEOUT, "The backend service did not answer in time.", null);
        }
        if (hasCause(failure, PrematureCloseException.class)) {
            log.warn("Backend of route {} closed the connection: {}", route, failure.toString());
            return Problems.problem(ProblemType.UPSTREAM_FAILED, "The backend service closed the connection early.", null);
        }
        if (hasCause(failure, DataBufferLimitException.class)) {
            return Problems.problem(ProblemType.REQUEST_TOO_LARGE, "The request body is too large.", null);
        }
        if (failure instanceof ErrorResponse response) {
            headers.addAll(response.getHeaders());
            int status = response.getStatusCode().value();
            String detail = status == HttpStatus.NOT_FOUND.value() ? "No such endpoint." : response.getBody().getDetail();
            return Problems.problem(Problems.forStatus(status), detail, null);
        }
        log.error("Unexpected failure on {} {}", exchange.getRequest().getMethod(), exchange.getRequest().getPath(), failure);
        return Problems.problem(ProblemType.INTERNAL_ERROR, "The gateway failed to handle the request.", null);
    }

    /** Reactor Netty's request-timeout (the client took too long to send its request); its class is not public. */
    public static boolean isRequestTimeout(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t.getClass().getName().equals("reactor.netty.http.server.RequestTimeoutException")) {
                return true;
            }
        }
        return false;
    }

    private static boolean isTimeout(Throwable failure) {
        if (failure instanceof ErrorResponse response && response.getStatusCode().value() == HttpStatus.GATEWAY_TIMEOUT.value()) {
            return true; // Spring Cloud Gateway's response-timeout
        }
        return hasCause(failure, TimeoutException.class) || hasCause(failure, ReadTimeoutException.class);
    }

    private static boolean hasCause(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static String routeId(ServerWebExchange exchange) {
        Route route = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
        return route != null ? route.getId() : "-";
    }

    private static URI instance(ServerWebExchange exchange) {
        try {
            return URI.create(exchange.getRequest().getURI().getRawPath());
        }
        catch (IllegalArgumentException unusualPath) {
            return null;
        }
    }
}
