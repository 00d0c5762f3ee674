package dev.genaiplatform.load;

import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * What a load run does, read from system properties ({@code -Dscenario=chat -Dworkload=open ...}) and
 * checked before anything is sent: an impossible run is refused with a message, never started.
 *
 * @param target    base URL of the gateway (default http://localhost:8080, the one-command platform)
 * @param apiKeys   API keys to spread requests over (the multi-tenant mix uses them all; others the first)
 * @param scenario  chat, streaming, retrieval, mix, spike or batch
 * @param workload  open (arrivals per second, independent of the answers) or closed (a fixed number of users
 *                  who each wait for their answer before asking again)
 * @param rate      open: new requests per second
 * @param users     closed: concurrent users; spike: requests arriving at once
 * @param duration  how long the steady part runs
 * @param model     the model asked for
 * @param maxTokens the answer length asked for ({@code max_tokens})
 * @param cache     use (the platform's answer caches may answer: the run's few questions repeat, so most requests
 *                  become cache hits) or bypass ({@code Cache-Control: no-cache} on every request: each one runs the
 *                  whole pipeline, what a capacity model of misses predicts)
 * @param arrivals  open model: uniform (one request every 1/rate s, Gatling's default) or poisson (independent
 *                  arrivals at the same mean rate, as many independent clients make and as queueing models assume)
 */
public record LoadParameters(URI target, List<String> apiKeys, Scenario scenario, Workload workload, double rate,
                             int users, Duration duration, String model, int maxTokens, Cache cache,
                             Arrivals arrivals) {

    public enum Scenario { CHAT, STREAMING, RETRIEVAL, MIX, SPIKE, BATCH }

    public enum Workload { OPEN, CLOSED }

    public enum Cache { USE, BYPASS }

    public enum Arrivals { UNIFORM, POISSON }

    /** Beyond this an open-model run on a laptop measures the load generator's file descriptors, not the platform. */
    static final double MAX_OPEN_RATE = 3000;

    public LoadParameters {
        require(target.getScheme() != null && target.getScheme().matches("https?") && target.getHost() != null,
                "target must be an http(s) URL, not '" + target + "'");
        require(!apiKeys.isEmpty() && apiKeys.stream().noneMatch(String::isBlank), "apiKeys must name at least one key");
        require(rate > 0 && rate <= MAX_OPEN_RATE, String.format(Locale.ROOT,
                "rate must be above 0 and at most %.0f requests/s (got %s)", MAX_OPEN_RATE, rate));
        require(users >= 1 && users <= 10_000, "users must be from 1 to 10000 (got " + users + ")");
        require(!duration.isNegative() && !duration.isZero() && duration.compareTo(Duration.ofHours(2)) <= 0,
                "duration must be from 1 s to 2 h (got " + duration + ")");
        require(maxTokens >= 1 && maxTokens <= 16_384, "maxTokens must be from 1 to 16384 (got " + maxTokens + ")");
        require(scenario != Scenario.MIX || apiKeys.size() >= 2, "the mix scenario needs at least two apiKeys (tenants)");
        apiKeys = List.copyOf(apiKeys);
    }

    public static LoadParameters from(Function<String, String> properties) {
        return new LoadParameters(
                URI.create(text(properties, "target", "http://localhost:8080").replaceAll("/+$", "")),
                Arrays.stream(text(properties, "apiKeys", "demo-local-key").split(",")).map(String::strip).toList(),
                choice(Scenario.class, text(properties, "scenario", "chat")),
                choice(Workload.class, text(properties, "workload", "open")),
                number(properties, "rate", "5"), (int) number(properties, "users", "10"),
                Duration.ofSeconds((long) number(properties, "duration", "30")),
                text(properties, "model", "sim-small"), (int) number(properties, "maxTokens", "64"),
                choice(Cache.class, text(properties, "cache", "use")),
                choice(Arrivals.class, text(properties, "arrivals", "uniform")));
    }

    private static String text(Function<String, String> properties, String name, String fallback) {
        String value = properties.apply(name);
        return value == null || value.isBlank() ? fallback : value.strip();
    }

    private static double number(Function<String, String> properties, String name, String fallback) {
        String value = text(properties, name, fallback);
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number, not '" + value + "'");
        }
    }

    private static <E extends Enum<E>> E choice(Class<E> type, String value) {
        try {
            return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(type.getSimpleName().toLowerCase(Locale.ROOT) + " must be one of "
                    + Arrays.stream(type.getEnumConstants()).map(c -> c.name().toLowerCase(Locale.ROOT)).toList()
                    + ", not '" + value + "'");
        }
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
