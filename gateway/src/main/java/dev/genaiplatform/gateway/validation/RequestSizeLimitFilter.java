package dev.genaiplatform.gateway.validation;

import java.util.concurrent.atomic.AtomicLong;

import dev.genaiplatform.gateway.FilterOrder;
import dev.genaiplatform.gateway.problem.GatewayProblem;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.util.unit.DataSize;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Refuses bodies larger than {@code platform.gateway.max-request-bytes} with a 413, twice over: on the
 * declared Content-Length before a byte is read, and while the body streams in, for clients that send
 * it chunked (no Content-Length) or lie about its size. Either way the gateway stops after the limit,
 * so a 10 MB upload never sits in memory.
 */
public final class RequestSizeLimitFilter implements WebFilter, Ordered {

    private final long maxBytes;

    public RequestSizeLimitFilter(DataSize maxRequestSize) {
        this.maxBytes = maxRequestSize.toBytes();
    }

    @Override
    public int getOrder() {
        return FilterOrder.SIZE_LIMIT;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        long declared = exchange.getRequest().getHeaders().getContentLength();
        if (declared > maxBytes) {
            return Mono.error(tooLarge());
        }
        return chain.filter(exchange.mutate().request(new LimitedBodyRequest(exchange.getRequest(), maxBytes)).build());
    }

    private RuntimeException tooLarge() {
        return GatewayProblem.REQUEST_TOO_LARGE.exception(
                "The request body exceeds the limit of " + maxBytes + " bytes.");
    }

    private final class LimitedBodyRequest extends ServerHttpRequestDecorator {

        private final long limit;

        LimitedBodyRequest(ServerHttpRequest delegate, long limit) {
            super(delegate);
            this.limit = limit;
        }

        @Override
        public Flux<DataBuffer> getBody() {
            return Flux.defer(() -> {
                AtomicLong seen = new AtomicLong();
                return super.getBody().map(buffer -> {
                    if (seen.addAndGet(buffer.readableByteCount()) > limit) {
                        DataBufferUtils.release(buffer);
                        throw tooLarge();
                    }
                    return buffer;
                });
            });
        }
    }
}
