package dev.genaiplatform.gateway.validation;

import java.util.concurrent.atomic.AtomicLong;

import dev.genaiplatform.gateway.FilterOrder;
import dev.genaiplatform.contracts.problem.ProblemType;
import dev.genaiplatform.gateway.problem.Problems;
import dev.genaiplatform.gateway.routing.RouteMetadata;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.util.unit.DataSize;
import org.springframework.web.server.ServerWebExchange;

/**
 * Refuses bodies larger than the route allows ({@code max-request-bytes} in the route's metadata, e.g. 32MB for
 * file uploads, else {@code platform.gateway.max-request-bytes}) with a 413, twice over: on the
 * declared Content-Length before a byte is read, and while the body streams in, for clients that send
 * it chunked (no Content-Length) or lie about its size. Either way the gateway stops after the limit,
 * so a 10 MB upload never sits in memory. A client too slow to send its body (the server's read or request
 * timeout) gets a 408 here, not the 504 a backend's silence earns.
 */
public final class RequestSizeLimitFilter implements GlobalFilter, Ordered {

    private final long defaultMaxBytes;

    public RequestSizeLimitFilter(DataSize defaultMaxRequestSize) {
        this.defaultMaxBytes = defaultMaxRequestSize.toBytes();
    }

    @Override
    public int getOrder() {
        return FilterOrder.SIZE_LIMIT;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        long maxBytes = RouteMetadata.get(exchange, RouteMetadata.MAX_REQUEST_BYTES)
            .map(limit -> DataSize.parse(limit).toBytes()).orElse(defaultMaxBytes);
        long declared = exchange.getRequest().getHeaders().getContentLength();
        if (declared > maxBytes) {
            return Mono.error(tooLarge(maxBytes));
        }
        return chain.filter(exchange.mutate().request(new LimitedBodyRequest(exchange.getRequest(), maxBytes)).build());
    }

    private static RuntimeException tooLarge(long maxBytes) {
        return Problems.exception(ProblemType.REQUEST_TOO_LARGE,
                "The request body exceeds the limit of " + maxBytes + " bytes.");
    }

    private static final class LimitedBodyRequest extends ServerHttpRequestDecorator {

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
                        throw tooLarge(limit);
                    }
                    return buffer;
                }).onErrorMap(ClientTimeouts::isClientTimeout, ClientTimeouts::requestTimeout);
            });
        }
    }
}
