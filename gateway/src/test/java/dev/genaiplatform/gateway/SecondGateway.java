package dev.genaiplatform.gateway;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Another gateway instance on the same PostgreSQL, Redis and broker as the test's own: the production shape of
 * two replicas behind a balancer. Arguments are passed as command-line arguments, which outrank application.yml
 * the way the environment does in production.
 */
final class SecondGateway implements AutoCloseable {

    private final ConfigurableApplicationContext context;

    SecondGateway(String kafkaBootstrapServers, String... extraArguments) {
        this(TestRedis.port(), kafkaBootstrapServers, extraArguments);
    }

    SecondGateway(int redisPort, String kafkaBootstrapServers, String... extraArguments) {
        List<String> arguments = new ArrayList<>(List.of("--server.port=0", "--management.server.port=0",
                "--spring.data.redis.port=" + redisPort,
                "--spring.datasource.url=" + TestDatabase.jdbcUrl(),
                "--spring.datasource.username=postgres", "--spring.datasource.password=postgres",
                "--spring.kafka.bootstrap-servers=" + kafkaBootstrapServers,
                "--ORCHESTRATOR_URL=" + GatewayTestSupport.backend.url(),
                // the same tenant configuration as the test's own gateway: every instance seeds the shared database
                "--platform.gateway.tenants.demo.models=sim-small",
                "--PLATFORM_DEMO_API_KEY=" + GatewayTestSupport.DEMO_KEY,
                "--PLATFORM_ADMIN_API_KEY=" + GatewayTestSupport.ADMIN_KEY,
                // as GatewayTestSupport: seeded with application.yml's 10/s, the shared database would leave the
                // first context's admin key 10/s once its key cache reloads, and a later admin-heavy test gets 429s
                "--platform.gateway.tenants.platform.rate-limit.replenish-rate=1000",
                "--platform.gateway.tenants.platform.rate-limit.burst-capacity=2000",
                "--platform.gateway.token.key-encryption-secret=" + GatewayTestSupport.SIGNING_KEY_SECRET,
                "--platform.gateway.token.refresh-interval=200ms"));
        // an extra argument replaces the default of the same name (two would be joined into "a,b")
        for (String extra : extraArguments) {
            String name = extra.substring(0, extra.indexOf('=') + 1);
            arguments.removeIf(argument -> argument.startsWith(name));
            arguments.add(extra);
        }
        context = new SpringApplicationBuilder(GatewayApplication.class, OwnEventLoops.class)
            .run(arguments.toArray(String[]::new));
    }

    /**
     * Event loops of its own. With the default (Reactor Netty's global resources, shared by everything in the JVM),
     * closing this instance disposes the global loops, and the test's own gateway, in the same JVM, lost its
     * management server with them: GatewayIT's management-port test then found nothing listening on its port
     * whenever a class using a SecondGateway had run before it. A production gateway is alone in its JVM.
     */
    @Configuration(proxyBeanMethods = false)
    static class OwnEventLoops {

        @Bean
        ReactorResourceFactory reactorResourceFactory() {
            ReactorResourceFactory resources = new ReactorResourceFactory();
            resources.setUseGlobalResources(false);
            return resources;
        }
    }

    /**
     * Waits until the instance's revocation listener has its partition: a new consumer group reads from the latest
     * offset, so an event sent before that would pass it by (in production the key cache's ttl covers that window).
     */
    SecondGateway awaitListening() {
        org.springframework.kafka.config.KafkaListenerEndpointRegistry listeners =
                context.getBean(org.springframework.kafka.config.KafkaListenerEndpointRegistry.class);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> listeners.getListenerContainers()
            .stream().allMatch(container -> container.getAssignedPartitions() != null
                    && !container.getAssignedPartitions().isEmpty()));
        return this;
    }

    WebTestClient client() {
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        return WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port).responseTimeout(Duration.ofSeconds(60)).build();
    }

    <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    int port() {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    @Override
    public void close() {
        context.close();
    }
}
