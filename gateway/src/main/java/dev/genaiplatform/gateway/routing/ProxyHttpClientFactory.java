package dev.genaiplatform.gateway.routing;

import java.util.List;

import reactor.netty.resources.ConnectionProvider;

import org.springframework.boot.web.server.autoconfigure.ServerProperties;
import org.springframework.cloud.gateway.config.HttpClientCustomizer;
import org.springframework.cloud.gateway.config.HttpClientFactory;
import org.springframework.cloud.gateway.config.HttpClientProperties;
import org.springframework.cloud.gateway.config.HttpClientSslConfigurer;

/**
 * Spring Cloud Gateway's proxy client, built as it builds it (every {@code spring.cloud.gateway.server.webflux.httpclient}
 * setting and every {@link HttpClientCustomizer} applies), with the configured pool kept per event loop
 * ({@link PerLoopConnectionPool}).
 */
public final class ProxyHttpClientFactory extends HttpClientFactory {

    public ProxyHttpClientFactory(HttpClientProperties properties, ServerProperties serverProperties,
            HttpClientSslConfigurer sslConfigurer, List<HttpClientCustomizer> customizers) {
        super(properties, serverProperties, sslConfigurer, customizers);
    }

    @Override
    protected ConnectionProvider buildConnectionProvider(HttpClientProperties properties) {
        return new PerLoopConnectionPool(() -> super.buildConnectionProvider(properties));
    }
}
