package dev.genaiplatform.gateway;

import java.io.IOException;
import java.io.UncheckedIOException;

import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * Lua scripts whose text is read once, at start. {@code RedisScript.of(Resource)} asks its resource on every call
 * whether the file changed (to recompute the SHA-1 it calls the script by): inside the packaged jar that check fails
 * with an exception and falls back to opening the nested jar, three times per chat request (rate limit, budget
 * reservation, reconciliation); measured at 5-7 % of the gateway's sampled CPU on the platform (README, Benchmark,
 * "Wave 7"). A script in a jar never changes while the process runs, so the text is enough.
 */
public final class RedisScripts {

    private RedisScripts() {
    }

    /** The script at {@code classpathLocation}, read now. */
    public static <T> RedisScript<T> load(String classpathLocation, Class<T> resultType) {
        return RedisScript.of(text(classpathLocation), resultType);
    }

    /** The text of the script at {@code classpathLocation}, read now (for a script composed of others). */
    public static String text(String classpathLocation) {
        try {
            return new ClassPathResource(classpathLocation).getContentAsString(java.nio.charset.StandardCharsets.UTF_8);
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot read the Redis script " + classpathLocation, e);
        }
    }

    /** The same script with its text read once (for a script built elsewhere from a resource). */
    public static <T> RedisScript<T> once(RedisScript<T> script) {
        return RedisScript.of(script.getScriptAsString(), script.getResultType());
    }
}
