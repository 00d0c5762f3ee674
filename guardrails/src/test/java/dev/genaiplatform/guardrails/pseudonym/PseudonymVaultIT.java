package dev.genaiplatform.guardrails.pseudonym;

import dev.genaiplatform.contracts.guardrails.ChatMessage;
import dev.genaiplatform.contracts.guardrails.CheckInputCommand;
import dev.genaiplatform.guardrails.detection.GuardrailPipeline;
import dev.genaiplatform.guardrails.detection.Pseudonyms;
import dev.genaiplatform.guardrails.pii.PiiDetector;
import dev.genaiplatform.guardrails.policy.Action;
import dev.genaiplatform.guardrails.policy.GuardrailPolicy;
import dev.genaiplatform.guardrails.policy.PolicyResolver.NamedPolicy;
import dev.genaiplatform.guardrails.size.InputSizeDetector;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The vault against a real Redis: stable pseudonyms across turns, tenant isolation, TTL, streamed restore. */
class PseudonymVaultIT {

    private static LettuceConnectionFactory connections;
    private static StringRedisTemplate redis;
    private static PseudonymVault vault;

    private final GuardrailPipeline pipeline = new GuardrailPipeline(new InputSizeDetector(10_000),
            List.of(new PiiDetector()), new SimpleMeterRegistry());
    private final NamedPolicy pseudonymise = new NamedPolicy("pseudonymise",
            new GuardrailPolicy(Set.of("pii"), Action.PSEUDONYMISE, Map.of(), 0.5, null));
    private final String conversation = "conv-" + UUID.randomUUID();

    @BeforeAll
    static void connect() {
        connections = new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", TestRedis.port()));
        connections.afterPropertiesSet();
        connections.start();
        redis = new StringRedisTemplate(connections);
        vault = new PseudonymVault(redis, Duration.ofMinutes(5));
    }

    @AfterAll
    static void disconnect() {
        connections.destroy();
    }

    private String turn(String tenant, String text) {
        Pseudonyms pseudonyms = vault.pseudonyms(tenant, conversation);
        return pipeline.check(new CheckInputCommand("r", List.of(new ChatMessage("user", text))), pseudonymise,
                pseudonyms).reply().messages().getFirst().content();
    }

    @Test
    void theProviderSeesStablePlaceholdersAcrossTurnsAndTheUserGetsValuesBack() {
        String first = turn("tenant-a", "Mail jane@example.com and bob@example.com");
        String second = turn("tenant-a", "Did jane@example.com answer?");

        assertThat(first).isEqualTo("Mail <EMAIL_ADDRESS_1> and <EMAIL_ADDRESS_2>");
        assertThat(second).isEqualTo("Did <EMAIL_ADDRESS_1> answer?");
        assertThat(vault.restore("tenant-a", conversation, "I wrote to <EMAIL_ADDRESS_2>, not <EMAIL_ADDRESS_7>."))
                .isEqualTo("I wrote to bob@example.com, not <EMAIL_ADDRESS_7>.");
        Long ttl = redis.getExpire("guardrails:vault:tenant-a:" + conversation);
        assertThat(ttl).isPositive().isLessThanOrEqualTo(300);
    }

    @Test
    void anotherTenantCannotRestoreTheValuesEvenWithTheConversationId() {
        turn("tenant-a", "Mail jane@example.com");

        assertThat(vault.restore("tenant-b", conversation, "<EMAIL_ADDRESS_1>")).isEqualTo("<EMAIL_ADDRESS_1>");
    }

    @Test
    void restoresPlaceholdersSplitAcrossStreamChunks() {
        turn("tenant-a", "Call Jane at jane@example.com");
        StreamRestorer stream = new StreamRestorer(vault, "tenant-a", conversation);

        StringBuilder shown = new StringBuilder();
        for (String chunk : List.of("Sure, I wrote to <EMA", "IL_ADD", "RESS_1", "> and <", "3 cats. Bye <EMAIL")) {
            shown.append(stream.next(chunk));
        }
        shown.append(stream.finish());

        assertThat(shown.toString()).isEqualTo("Sure, I wrote to jane@example.com and <3 cats. Bye <EMAIL");
    }

    @Test
    void forgettingAConversationDropsItsValues() {
        turn("tenant-a", "Mail jane@example.com");
        vault.forget("tenant-a", conversation);

        assertThat(vault.restore("tenant-a", conversation, "<EMAIL_ADDRESS_1>")).isEqualTo("<EMAIL_ADDRESS_1>");
    }
}
