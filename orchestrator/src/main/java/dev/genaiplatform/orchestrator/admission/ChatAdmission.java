package dev.genaiplatform.orchestrator.admission;

import dev.genaiplatform.contracts.problem.ProblemType;
import dev.genaiplatform.orchestrator.problem.Problems;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Sheds chat requests at the door instead of timing them out inside. At most {@code max-in-flight} chat requests are
 * worked on at once; the next one is answered 503 {@code service_busy} with {@code Retry-After} straight away, before
 * anything is spent on it (not even the token check: this filter runs before security). Without the bound a burst is
 * accepted whole, every request asks guardrails and retrieval at once, their queues grow past the 5 s Kafka timeout,
 * and requests fail one by one with 503s deep in the pipeline after having cost everyone CPU.
 *
 * <p>A permit is held until the response is over: for a stream, until its last event is written (or the client
 * leaves). Non-blocking: a refused request never waits for a permit, so a burst costs a semaphore check each.
 */
@Component
public class ChatAdmission implements WebFilter, Ordered {

    static final String CHAT_PATH = "/v1/chat/completions";

    private final AdmissionSettings settings;
    private final Semaphore permits;
    private final JsonMapper json;
    private final Counter shed;

    ChatAdmission(AdmissionSettings settings, JsonMapper json, MeterRegistry meters) {
        this.settings = settings;
        this.permits = new Semaphore(settings.maxInFlight());
        this.json = json;
        this.shed = Counter.builder("orchestrator.admission.shed")
                .description("chat requests refused at the door (429 overloaded) because max-in-flight were running")
                .register(meters);
        Gauge.builder("orchestrator.admission.in_flight", this, ChatAdmission::inFlight)
                .description("chat requests being worked on").register(meters);
    }

    /** Ahead of Spring Security's filter chain (-100): a refused request costs no signature check. */
    @Override
    public int getOrder() {
        return -200;
    }

    int inFlight() {
        return this.settings.maxInFlight() - this.permits.availablePermits();
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (this.settings.maxInFlight() == 0 || exchange.getRequest().getMethod() != HttpMethod.POST
                || !CHAT_PATH.equals(exchange.getRequest().getPath().value())) {
            return chain.filter(exchange);
        }
        if (!this.permits.tryAcquire()) {
            this.shed.increment();
            return refuse(exchange);
        }
        AtomicBoolean released = new AtomicBoolean();
        return chain.filter(exchange).doFinally(signal -> {
            if (released.compareAndSet(false, true)) {
                this.permits.release();
            }
        });
    }

    private Mono<Void> refuse(ServerWebExchange exchange) {
        ProblemType type = ProblemType.SERVICE_BUSY;
        ProblemDetail body = Problems.of(type, "This orchestrator instance is already working on "
                + this.settings.maxInFlight() + " chat requests; retry after the Retry-After delay.", null, CHAT_PATH);
        var response = exchange.getResponse();
        response.setStatusCode(HttpStatusCode.valueOf(type.status()));
        response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        response.getHeaders().set(HttpHeaders.RETRY_AFTER,
                Long.toString(Math.max(1, (this.settings.retryAfter().toMillis() + 999) / 1000)));
        byte[] bytes = this.json.writeValueAsBytes(Problems.members(body));
        // read and drop the refused request's body first, so a kept-alive connection is clean for the next request
        return exchange.getRequest().getBody().doOnNext(DataBufferUtils::release)
                .then(Mono.defer(() -> response.writeWith(Mono.just(response.bufferFactory().wrap(bytes)))));
    }
}
