package dev.genaiplatform.tools.support;

import dev.genaiplatform.contracts.Topics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

/**
 * The service as the orchestrator will call it: real Kafka (embedded broker), real PostgreSQL (embedded), tokens
 * signed like the gateway's, the real HTTP port. Subclasses share one context.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "logging.level.org.apache.kafka=warn", "management.server.port=0",
        "platform.tools.timeout=2s", "platform.tools.sweep-interval=1s", "platform.tools.retrieval-timeout=10s"})
@EmbeddedKafka(partitions = 1, topics = {ToolsAgentIT.REPLIES, Topics.RETRIEVAL_SEARCH, Topics.TOOLS_AGENT_SEARCH_RESULT_REPLIES},
        bootstrapServersProperty = "spring.kafka.bootstrap-servers")
@Import({TestSecurity.class, TestTools.class, FakeRetrieval.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ToolsAgentIT {

    public static final String REPLIES = "it.tool-replies";
    public static final List<String> EVENTS = List.of(Topics.TOOLS_TOOL_CALLED, Topics.TOOLS_APPROVAL_REQUESTED,
            Topics.TOOLS_APPROVAL_DECIDED, Topics.deadLetter(Topics.TOOLS_INVOKE));

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        EmbeddedPostgres.register(registry);
    }

    /** This context's broker (not the live system property, which another test class's broker may overwrite). */
    @Autowired
    private org.springframework.kafka.test.EmbeddedKafkaBroker broker;
    protected String bootstrapServers;

    @LocalServerPort
    protected int port;

    @Autowired
    protected JdbcTemplate jdbc;

    protected KafkaAsker kafka;
    protected final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void connect() {
        bootstrapServers = broker.getBrokersAsString();
        jdbc.execute(TestTools.SIDE_EFFECT_TABLE);
        kafka = new KafkaAsker(bootstrapServers, REPLIES, EVENTS);
    }

    @AfterAll
    void disconnect() {
        kafka.close();
    }

    protected int count(String sql, Object... args) {
        Integer n = jdbc.queryForObject(sql, Integer.class, args);
        return n == null ? 0 : n;
    }

    protected HttpResponse<String> get(String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    protected HttpResponse<String> post(String path, String body, String token, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
