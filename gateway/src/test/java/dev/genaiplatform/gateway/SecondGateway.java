package dev.genaiplatform.gateway;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
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
                "--PLATFORM_DEMO_API_KEY=" + GatewayTestSupport.DEMO_KEY,
                "--PLATFORM_ADMIN_API_KEY=" + GatewayTestSupport.ADMIN_KEY));
        arguments.addAll(List.of(extraArguments));
        context = new SpringApplicationBuilder(GatewayApplication.class).run(arguments.toArray(String[]::new));
    }

    WebTestClient client() {
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        return WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port).responseTimeout(Duration.ofSeconds(60)).build();
    }

    int port() {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    @Override
    public void close() {
        context.close();
    }
}
