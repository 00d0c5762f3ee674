package dev.genaiplatform.orchestrator.memory;

import dev.genaiplatform.orchestrator.prompt.TokenCounter;
import dev.genaiplatform.orchestrator.prompt.Turn;
import org.springframework.data.redis.core.StringRedisTemplate;
import tools.jackson.databind.json.JsonMapper;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The history of a conversation the client names ({@code X-Conversation-Id}), kept in Redis so any instance can
 * continue it: the turns word for word within a token window, and a model-written summary of what fell out of it.
 * Only what guardrails let through is stored (the redacted question) with the answer given.
 *
 * <p>A conversation belongs to the tenant (and end user, when known) that started it; anyone else gets "not found",
 * never its content. Deleting a conversation, or every conversation of a user, removes turns, summary and index.
 *
 * <p>With {@code memory.facts.enabled}, what a user states about themself ({@link UserFacts}) is kept per tenant and
 * user across conversations and put in front of every conversation of that user; deleting a conversation deletes the
 * facts it gave, deleting the user's conversations deletes them all.
 */
public final class ConversationMemory {

    private static final Pattern VALID_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final String PREFIX = "orch:mem:";

    private final StringRedisTemplate redis;
    private final JsonMapper json;
    private final TokenCounter tokens;
    private final MemorySettings settings;

    public ConversationMemory(StringRedisTemplate redis, JsonMapper json, TokenCounter tokens, MemorySettings settings) {
        this.redis = redis;
        this.json = json;
        this.tokens = tokens;
        this.settings = settings;
    }

    public MemorySettings settings() {
        return this.settings;
    }

    public static boolean isValidId(String id) {
        return id != null && VALID_ID.matcher(id).matches();
    }

    /**
     * What is remembered: a summary of older turns (empty if none), the recent turns, oldest first, and the user's
     * long-term facts (empty unless {@code memory.facts.enabled} and the request names a user).
     */
    public record Remembered(String summary, List<Turn> turns, List<String> facts) {

        public Remembered(String summary, List<Turn> turns) {
            this(summary, turns, List.of());
        }

        /** As turns for the prompt: the user's facts and the summary as system turns, then the recent turns. */
        public List<Turn> asTurns() {
            List<Turn> all = new ArrayList<>();
            if (!this.facts.isEmpty()) {
                all.add(Turn.text("system", "What the user said about themself in earlier conversations (use it only "
                        + "where it helps): " + String.join(" ", this.facts)));
            }
            if (!this.summary.isEmpty()) {
                all.add(Turn.text("system", "Summary of the earlier conversation: " + this.summary));
            }
            all.addAll(this.turns);
            return all;
        }
    }

    /** The conversation is not the caller's (or was deleted while in use). */
    public static final class NotYours extends RuntimeException {
        public NotYours() {
            super("No such conversation.");
        }
    }

    private record StoredTurn(String role, String content) {
    }

    /** Claims the id for the caller on first use; loads what is remembered. */
    public Remembered load(String tenantId, String userId, String conversationId) {
        String owner = tenantId + "\n" + (userId == null ? "" : userId);
        String ownerKey = PREFIX + "owner:" + conversationId;
        Boolean claimed = this.redis.opsForValue().setIfAbsent(ownerKey, owner, this.settings.ttl());
        if (!Boolean.TRUE.equals(claimed) && !owns(this.redis.opsForValue().get(ownerKey), tenantId, userId)) {
            throw new NotYours();
        }
        if (Boolean.TRUE.equals(claimed) && userId != null) {
            this.redis.opsForSet().add(userIndex(tenantId, userId), conversationId);
        }
        String summary = this.redis.opsForValue().get(key(tenantId, conversationId, "summary"));
        List<String> stored = this.redis.opsForList().range(key(tenantId, conversationId, "turns"), 0, -1);
        List<Turn> turns = stored == null ? List.of() : stored.stream()
                .map(value -> this.json.readValue(value, StoredTurn.class))
                .map(turn -> Turn.text(turn.role(), turn.content())).toList();
        return new Remembered(summary == null ? "" : summary, turns, facts(tenantId, userId));
    }

    /** Remembers one exchange, before the answer is returned, so the next request sees it. */
    public void append(String tenantId, String conversationId, String question, String answer) {
        this.redis.opsForList().rightPushAll(key(tenantId, conversationId, "turns"),
                this.json.writeValueAsString(new StoredTurn("user", question)),
                this.json.writeValueAsString(new StoredTurn("assistant", answer)));
        touch(tenantId, conversationId);
        if (this.settings.facts().enabled()) {
            rememberFacts(tenantId, conversationId, question);
        }
    }

    // ---- long-term facts per user --------------------------------------------------------------------------

    /** Where a fact came from: deleting that conversation deletes the fact too. */
    private record StoredFact(String text, String conversationId) {
    }

    /**
     * Keeps the facts the user stated in this question, under the conversation's user (a conversation without a user
     * keeps none: facts belong to a person, not to a key). A newer statement for a slot replaces the older one.
     */
    private void rememberFacts(String tenantId, String conversationId, String question) {
        Map<String, String> stated = UserFacts.extract(question);
        String owner = this.redis.opsForValue().get(PREFIX + "owner:" + conversationId);
        String userId = owner == null ? "" : owner.substring(owner.indexOf('\n') + 1);
        if (stated.isEmpty() || userId.isEmpty()) {
            return;
        }
        String factsKey = factsKey(tenantId, userId);
        Map<String, String> values = new java.util.HashMap<>();
        stated.forEach((slot, text) -> values.put(slot, this.json.writeValueAsString(new StoredFact(text, conversationId))));
        this.redis.opsForHash().putAll(factsKey, values);
        this.redis.expire(factsKey, this.settings.facts().ttl());
    }

    /** The user's facts as sentences, in slot order; empty without a user or when facts are off. */
    private List<String> facts(String tenantId, String userId) {
        if (!this.settings.facts().enabled() || userId == null) {
            return List.of();
        }
        Map<Object, Object> stored = this.redis.opsForHash().entries(factsKey(tenantId, userId));
        return new java.util.TreeMap<>(stored).values().stream()
                .map(value -> this.json.readValue((String) value, StoredFact.class).text())
                .limit(this.settings.facts().maxFacts()).toList();
    }

    /** Drops the facts a deleted conversation gave. */
    private void forgetFactsOf(String tenantId, String userId, String conversationId) {
        String factsKey = factsKey(tenantId, userId);
        Map<Object, Object> stored = this.redis.opsForHash().entries(factsKey);
        stored.forEach((slot, value) -> {
            if (conversationId.equals(this.json.readValue((String) value, StoredFact.class).conversationId())) {
                this.redis.opsForHash().delete(factsKey, slot);
            }
        });
    }

    private static String factsKey(String tenantId, String userId) {
        return PREFIX + "facts:" + tenantId + ":" + userId;
    }

    /**
     * When the turns outgrow the window, folds the oldest half into the summary written by {@code summarise} (a
     * model call: run this off the response path). Trimming from the left by count keeps turns appended meanwhile.
     */
    public void compact(String tenantId, String conversationId, Function<String, String> summarise) {
        String turnsKey = key(tenantId, conversationId, "turns");
        List<String> stored = this.redis.opsForList().range(turnsKey, 0, -1);
        if (stored == null) {
            return;
        }
        List<StoredTurn> turns = stored.stream().map(value -> this.json.readValue(value, StoredTurn.class)).toList();
        int total = turns.stream().mapToInt(turn -> this.tokens.countMessage(turn.content())).sum();
        if (total <= this.settings.maxTokens() || turns.size() < 4) {
            return;
        }
        int fold = (turns.size() / 2) & ~1;   // whole exchanges, oldest first
        StringBuilder transcript = new StringBuilder();
        String previous = this.redis.opsForValue().get(key(tenantId, conversationId, "summary"));
        if (previous != null) {
            transcript.append("Earlier summary: ").append(previous).append('\n');
        }
        turns.subList(0, fold).forEach(turn -> transcript.append(turn.role()).append(": ").append(turn.content()).append('\n'));
        String summary = summarise.apply(transcript.toString());
        this.redis.opsForValue().set(key(tenantId, conversationId, "summary"), summary, this.settings.ttl());
        this.redis.opsForList().trim(turnsKey, fold, -1);
    }

    /** Deletes one conversation of the caller; false when it is not the caller's. */
    public boolean delete(String tenantId, String userId, String conversationId) {
        String owner = this.redis.opsForValue().get(PREFIX + "owner:" + conversationId);
        if (!owns(owner, tenantId, userId)) {
            return false;
        }
        erase(tenantId, conversationId);
        String ownerUser = owner.substring(owner.indexOf('\n') + 1);
        if (!ownerUser.isEmpty()) {
            this.redis.opsForSet().remove(userIndex(tenantId, ownerUser), conversationId);
            forgetFactsOf(tenantId, ownerUser, conversationId);
        }
        return true;
    }

    /** Deletes every conversation a user of the tenant started; returns how many. */
    public int deleteUser(String tenantId, String userId) {
        Set<String> ids = this.redis.opsForSet().members(userIndex(tenantId, userId));
        if (ids != null) {
            ids.forEach(id -> erase(tenantId, id));
        }
        this.redis.delete(List.of(userIndex(tenantId, userId), factsKey(tenantId, userId)));
        return ids == null ? 0 : ids.size();
    }

    /** Same tenant, and the same user when both the conversation and the caller name one. */
    private static boolean owns(String owner, String tenantId, String userId) {
        if (owner == null) {
            return false;
        }
        String[] parts = owner.split("\n", -1);
        return parts[0].equals(tenantId) && (parts[1].isEmpty() || userId == null || parts[1].equals(userId));
    }

    private void erase(String tenantId, String conversationId) {
        this.redis.delete(List.of(key(tenantId, conversationId, "turns"), key(tenantId, conversationId, "summary"),
                PREFIX + "owner:" + conversationId));
    }

    private void touch(String tenantId, String conversationId) {
        this.redis.expire(key(tenantId, conversationId, "turns"), this.settings.ttl());
        this.redis.expire(PREFIX + "owner:" + conversationId, this.settings.ttl());
    }

    private static String key(String tenantId, String conversationId, String part) {
        return PREFIX + tenantId + ":" + conversationId + ":" + part;
    }

    private static String userIndex(String tenantId, String userId) {
        return PREFIX + "user:" + tenantId + ":" + userId;
    }
}
