package dev.genaiplatform.guardrails.pseudonym;

import dev.genaiplatform.contracts.Topics;
import dev.genaiplatform.guardrails.TestTokens;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Erasing a conversation's pseudonyms over HTTP, against a real Redis: only the token's tenant, only with a scope. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "management.server.port=0", "logging.level.org.apache.kafka=warn"})
@Import(TestTokens.Decoder.class)
@EmbeddedKafka(topics = Topics.GUARDRAILS_VERDICT_RECORDED, bootstrapServersProperty = "spring.kafka.bootstrap-servers")
class PseudonymForgetApiIT {

    @DynamicPropertySource
    static void redis(DynamicPropertyRegistry registry) {
        registry.add("spring.data.redis.host", () -> "127.0.0.1");
        registry.add("spring.data.redis.port", TestRedis::port);
    }

    @LocalServerPort
    private int port;

    @Autowired
    private PseudonymVault vault;

    private final HttpClient http = HttpClient.newHttpClient();

    private int delete(String conversation, String token) throws Exception {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/guardrails/conversations/"
                + conversation + "/pseudonyms")).DELETE();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    @Test
    void theTokensTenantErasesItsOwnConversationAndNoOneElses() throws Exception {
        String conversation = "conv-" + UUID.randomUUID();
        String placeholderA = vault.pseudonyms("tenant-a", conversation).pseudonymFor("EMAIL_ADDRESS", "jane@example.com");
        String placeholderB = vault.pseudonyms("tenant-b", conversation).pseudonymFor("EMAIL_ADDRESS", "bob@example.com");

        assertThat(delete(conversation, TestTokens.token("tenant-b", "chat"))).isEqualTo(204);

        assertThat(vault.restore("tenant-a", conversation, "mail " + placeholderA)).isEqualTo("mail jane@example.com");
        assertThat(vault.restore("tenant-b", conversation, "mail " + placeholderB)).isEqualTo("mail " + placeholderB);
    }

    @Test
    void refusesWithoutATokenOrWithoutAScopeThatAllowsIt() throws Exception {
        String conversation = "conv-" + UUID.randomUUID();
        String pseudonym = vault.pseudonyms("tenant-a", conversation).pseudonymFor("PERSON", "Jane Roe");

        assertThat(delete(conversation, null)).isEqualTo(401);
        assertThat(delete(conversation, TestTokens.token("tenant-a", "documents"))).isEqualTo(403);
        assertThat(vault.restore("tenant-a", conversation, pseudonym)).isEqualTo("Jane Roe");
        assertThat(delete(conversation, TestTokens.token("tenant-a", "evaluation"))).isEqualTo(204);
        assertThat(vault.restore("tenant-a", conversation, pseudonym)).isEqualTo(pseudonym);
    }
}
