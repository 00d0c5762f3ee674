package dev.genaiplatform.gateway.validation;

import dev.genaiplatform.gateway.FilterOrder;
import dev.genaiplatform.gateway.routing.RouteMetadata;
import dev.genaiplatform.gateway.tenant.ApiKey;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.web.server.ServerWebExchange;

/**
 * Reads the body of a request routed to a route whose metadata says {@code validate: chat-completion}
 * (already capped by {@link RequestSizeLimitFilter}),
 * validates it with {@link ChatRequestValidator} and forwards the same bytes (one exception: a stream whose client
 * did not ask for usage gets {@code stream_options.include_usage}, see {@link ChatRequestValidator#withStreamUsage}). The body is copied to a
 * heap array and the pooled network buffers released at once: a request rejected here never reaches
 * the gateway's routing, whose clean-up would otherwise be the only thing releasing a cached buffer.
 */
public final class ChatRequestValidationFilter implements GlobalFilter, Ordered {

    private final ChatRequestValidator validator;

    public ChatRequestValidationFilter(ChatRequestValidator validator) {
        this.validator = validator;
    }

    @Override
    public int getOrder() {
        return FilterOrder.CHAT_VALIDATION;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        if (!RouteMetadata.get(exchange, RouteMetadata.VALIDATE).filter(RouteMetadata.CHAT_COMPLETION::equals).isPresent()) {
            return chain.filter(exchange);
        }
        ServerHttpRequest request = exchange.getRequest();
        ApiKey key = ApiKey.of(exchange);
        return DataBufferUtils.join(request.getBody())
            .map(ChatRequestValidationFilter::copyAndRelease)
            .defaultIfEmpty(new byte[0])
            .flatMap(body -> {
                ValidatedChatRequest validated = validator.validate(body, key);
                byte[] withUsage = validator.withStreamUsage(validated);
                if (withUsage != null) {
                    new ValidatedChatRequest(validated.model(), true, true, validated.request()).attachTo(exchange);
                    return chain.filter(exchange.mutate().request(new ValidatedBodyRequest(request, withUsage)).build());
                }
                validated.attachTo(exchange);
                return chain.filter(exchange.mutate().request(new ValidatedBodyRequest(request, body)).build());
            });
    }

    private static byte[] copyAndRelease(DataBuffer buffer) {
        try {
            byte[] bytes = new byte[buffer.readableByteCount()];
            buffer.read(bytes);
            return bytes;
        }
        finally {
            DataBufferUtils.release(buffer);
        }
    }

    /** The validated bytes, unchanged, with a Content-Length now that their size is known. */
    private static final class ValidatedBodyRequest extends ServerHttpRequestDecorator {

        private final byte[] body;

        private final HttpHeaders headers;

        ValidatedBodyRequest(ServerHttpRequest delegate, byte[] body) {
            super(delegate);
            this.body = body;
            this.headers = HttpHeaders.copyOf(delegate.getHeaders());
            this.headers.remove(HttpHeaders.TRANSFER_ENCODING);
            this.headers.setContentLength(body.length);
        }

        @Override
        public HttpHeaders getHeaders() {
            return headers;
        }

        @Override
        public Flux<DataBuffer> getBody() {
            // A fresh heap-backed wrapper per subscription: nothing pooled, nothing to release.
            return Flux.defer(() -> Flux.just(DefaultDataBufferFactory.sharedInstance.wrap(body)));
        }
    }
}
