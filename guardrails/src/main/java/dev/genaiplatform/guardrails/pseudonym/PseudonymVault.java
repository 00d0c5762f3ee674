package dev.genaiplatform.guardrails.pseudonym;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import dev.genaiplatform.guardrails.detection.Pseudonyms;
import org.springframework.data.redis.core.HashOperations;
import org.springframework.data.redis.core.StringRedisTemplate;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Reversible pseudonymisation: per tenant and conversation, a Redis hash maps each pseudonymised value to a
 * stable pseudonym ({@code <PERSON_1>}) and back. The model provider only ever sees pseudonyms; the answer is
 * restored for the user. Entries expire {@code ttl} after the conversation's last write.
 *
 * <p>Keys: {@code guardrails:vault:<tenant>:<conversation>} with fields {@code v:<category>\0<value>} (value to
 * pseudonym), {@code p:<pseudonym>} (back) and {@code n:<category>} (counter). The tenant is part of the key
 * and comes from the verified token, so one tenant can never restore another's values, even with a guessed
 * conversation id.
 *
 * <p>Limits: the raw values sit in Redis for the TTL (protect Redis like the data itself: credentials, no
 * persistence, or encryption at rest); a pseudonym the model invents ({@code <PERSON_9>} that was never
 * issued) stays as it is; a model that rewrites a pseudonym ({@code PERSON 1}) defeats restoration.
 */
public final class PseudonymVault {

    /** What a pseudonym looks like: restoration and the stream hold-back look for this shape only. */
    static final Pattern PSEUDONYM_SHAPE = Pattern.compile("<[A-Z][A-Z_]{1,40}_[0-9]{1,6}>");

    private final StringRedisTemplate redis;
    private final Duration ttl;

    public PseudonymVault(StringRedisTemplate redis, Duration ttl) {
        this.redis = redis;
        this.ttl = ttl;
    }

    /** Pseudonyms that are stable across the conversation's turns, stored for restoration. */
    public Pseudonyms pseudonyms(String tenant, String conversationId) {
        String key = key(tenant, conversationId);
        HashOperations<String, String, String> hash = redis.opsForHash();
        return (category, value) -> {
            String valueField = "v:" + category + '\u0000' + value;
            String existing = hash.get(key, valueField);
            if (existing == null) {
                long number = hash.increment(key, "n:" + category, 1);
                String candidate = "<" + category + "_" + number + ">";
                if (hash.putIfAbsent(key, valueField, candidate)) {
                    hash.put(key, "p:" + candidate, value);
                    existing = candidate;
                } else {
                    existing = hash.get(key, valueField); // another request of the conversation was faster
                }
                redis.expire(key, ttl);
            }
            return existing;
        };
    }

    /** {@code text} with every pseudonym this conversation issued replaced by its value. */
    public String restore(String tenant, String conversationId, String text) {
        Matcher matcher = PSEUDONYM_SHAPE.matcher(text);
        List<int[]> spans = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        while (matcher.find()) {
            spans.add(new int[] {matcher.start(), matcher.end()});
            fields.add("p:" + matcher.group());
        }
        if (spans.isEmpty()) {
            return text;
        }
        HashOperations<String, String, String> hash = redis.opsForHash();
        List<String> values = hash.multiGet(key(tenant, conversationId), fields);
        StringBuilder out = new StringBuilder(text.length());
        int copied = 0;
        for (int i = 0; i < spans.size(); i++) {
            out.append(text, copied, spans.get(i)[0]);
            out.append(Objects.requireNonNullElse(values.get(i), text.substring(spans.get(i)[0], spans.get(i)[1])));
            copied = spans.get(i)[1];
        }
        return out.append(text, copied, text.length()).toString();
    }

    /** Forgets a conversation's values now (the user deleted it, or asked to be forgotten). */
    public void forget(String tenant, String conversationId) {
        redis.delete(key(tenant, conversationId));
    }

    private static String key(String tenant, String conversationId) {
        return "guardrails:vault:" + Objects.requireNonNull(tenant) + ":" + Objects.requireNonNull(conversationId);
    }
}
