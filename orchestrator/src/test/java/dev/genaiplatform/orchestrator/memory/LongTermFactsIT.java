package dev.genaiplatform.orchestrator.memory;

import dev.genaiplatform.orchestrator.prompt.TokenCounter;
import dev.genaiplatform.orchestrator.prompt.Turn;
import dev.genaiplatform.orchestrator.support.TestRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Long-term facts per user against a real Redis: kept across a user's conversations and put in front of them, never
 * shown to another user or tenant, replaced by a newer statement, and gone with the conversation that gave them or
 * with the user's conversations.
 */
class LongTermFactsIT {

    private static LettuceConnectionFactory connections;
    private static StringRedisTemplate redis;
    private final String run = UUID.randomUUID().toString().substring(0, 8);

    @BeforeAll
    static void connect() {
        connections = new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", TestRedis.port()));
        connections.afterPropertiesSet();
        connections.start();
        redis = new StringRedisTemplate(connections);
    }

    @AfterAll
    static void disconnect() {
        connections.destroy();
    }

    private static ConversationMemory memory(boolean factsEnabled) {
        return new ConversationMemory(redis, new JsonMapper(), new TokenCounter(), new MemorySettings(1500, "sim-small",
                Duration.ofDays(7), null, new MemorySettings.Facts(factsEnabled, Duration.ofDays(90), 8)));
    }

    private String id(String name) {
        return name + "-" + this.run;
    }

    @Test
    void factsStatedInOneConversationAreInTheNextConversationsPromptOfThatUserOnly() {
        ConversationMemory memory = memory(true);
        memory.load("acme", "ada", id("c1"));
        memory.append("acme", id("c1"), "Hi, my name is Ada and I work at Initech. How does retrieval rank passages?",
                "By fusing rankings. [1]");

        ConversationMemory.Remembered next = memory.load("acme", "ada", id("c2"));

        assertThat(next.facts()).containsExactly("The user works at Initech.", "The user's name is Ada.");
        Turn first = next.asTurns().getFirst();
        assertThat(first.role()).isEqualTo("system");
        assertThat(first.content()).contains("The user's name is Ada.", "The user works at Initech.");
        assertThat(memory.load("acme", "bob", id("c3")).facts()).isEmpty();
        assertThat(memory.load("globex", "ada", id("c4")).facts()).isEmpty();
    }

    @Test
    void aNewerStatementReplacesTheOlderOne() {
        ConversationMemory memory = memory(true);
        memory.load("acme", "cyd", id("c1"));
        memory.append("acme", id("c1"), "I live in Paris.", "Noted.");
        memory.append("acme", id("c1"), "Correction: I live in Lyon.", "Noted.");

        assertThat(memory.load("acme", "cyd", id("c2")).facts()).containsExactly("The user lives in Lyon.");
    }

    @Test
    void deletingAConversationDeletesTheFactsItGaveAndDeletingTheUserDeletesAll() {
        ConversationMemory memory = memory(true);
        memory.load("acme", "dee", id("c1"));
        memory.append("acme", id("c1"), "My name is Dee.", "Hello Dee.");
        memory.load("acme", "dee", id("c2"));
        memory.append("acme", id("c2"), "I work at Initech.", "Noted.");

        assertThat(memory.delete("acme", "dee", id("c1"))).isTrue();
        assertThat(memory.load("acme", "dee", id("c3")).facts()).containsExactly("The user works at Initech.");

        memory.deleteUser("acme", "dee");
        assertThat(memory.load("acme", "dee", id("c4")).facts()).isEmpty();
        assertThat(redis.hasKey("orch:mem:facts:acme:dee")).isFalse();
    }

    @Test
    void nothingIsKeptWhenFactsAreOffOrTheConversationHasNoUser() {
        ConversationMemory off = memory(false);
        off.load("acme", "eve", id("c1"));
        off.append("acme", id("c1"), "My name is Eve.", "Hello.");
        assertThat(redis.hasKey("orch:mem:facts:acme:eve")).isFalse();
        assertThat(memory(true).load("acme", "eve", id("c2")).facts()).isEmpty();

        ConversationMemory on = memory(true);
        on.load("acme", null, id("c3"));
        on.append("acme", id("c3"), "My name is Nobody.", "Hello.");
        assertThat(redis.keys("orch:mem:facts:acme:*")).noneMatch(key -> key.endsWith(":"));
    }
}
