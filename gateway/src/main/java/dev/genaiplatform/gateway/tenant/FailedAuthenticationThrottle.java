package dev.genaiplatform.gateway.tenant;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts failed authentications per client address in a fixed window and says when an address has had
 * enough: a key guesser gets {@code max} tries per window, then nothing but 429 until the window ends,
 * whatever it sends (a correct key included, so a guess that lands cannot be told from one that does not).
 *
 * <p>Per instance and in memory: an attacker spread over N gateway replicas gets N times the tries,
 * which still turns millions of guesses into dozens. The table is bounded; when a flood of distinct
 * addresses fills it, expired windows are dropped first and, failing that, everything is forgotten
 * (fail-open, logged by the caller as a count) rather than letting memory grow without bound.
 */
final class FailedAuthenticationThrottle {

    static final int MAX_ADDRESSES = 100_000;

    private final int max;

    private final long windowMillis;

    private final Clock clock;

    private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();

    FailedAuthenticationThrottle(int max, Duration window, Clock clock) {
        this.max = max;
        this.windowMillis = window.toMillis();
        this.clock = clock;
    }

    /** Seconds the address must wait before it may try again, or 0 if it may try now. */
    long secondsBlocked(String address) {
        Window window = windows.get(address);
        long now = clock.millis();
        if (window == null || window.count < max || now >= window.start + windowMillis) {
            return 0;
        }
        return Math.max(1, (window.start + windowMillis - now + 999) / 1000);
    }

    void recordFailure(String address) {
        long now = clock.millis();
        if (windows.size() >= MAX_ADDRESSES) {
            windows.values().removeIf(w -> now >= w.start + windowMillis);
            if (windows.size() >= MAX_ADDRESSES) {
                windows.clear();
            }
        }
        windows.compute(address, (a, w) -> w == null || now >= w.start + windowMillis ? new Window(now, 1)
                : new Window(w.start, w.count + 1));
    }

    private record Window(long start, int count) {
    }
}
