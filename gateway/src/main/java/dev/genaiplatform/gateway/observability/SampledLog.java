package dev.genaiplatform.gateway.observability;

import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;

/**
 * Logs an event at most once per interval, with the number of events it left out since the last line.
 * A flood of bad requests (key guessing, malformed traffic) must not become a flood of log lines: that
 * would cost disk and CPU, and bury the one line an operator needs.
 */
public final class SampledLog {

    private final Logger log;

    private final long intervalNanos;

    private final AtomicLong nextAllowed = new AtomicLong(Long.MIN_VALUE);

    private final AtomicLong suppressed = new AtomicLong();

    public SampledLog(Logger log, java.time.Duration interval) {
        this.log = log;
        this.intervalNanos = interval.toNanos();
    }

    /** Logs {@code message} (an SLF4J pattern whose last {@code {}} receives the suppressed count) at INFO. */
    public void info(String message, Object... arguments) {
        log(false, message, arguments);
    }

    /** As {@link #info}, at WARN: for failures an operator must act on. */
    public void warn(String message, Object... arguments) {
        log(true, message, arguments);
    }

    private void log(boolean warn, String message, Object... arguments) {
        long now = System.nanoTime();
        long allowed = nextAllowed.get();
        if ((allowed == Long.MIN_VALUE || now - allowed >= 0) && nextAllowed.compareAndSet(allowed, now + intervalNanos)) {
            Object[] withCount = java.util.Arrays.copyOf(arguments, arguments.length + 1);
            withCount[arguments.length] = suppressed.getAndSet(0);
            if (warn) {
                log.warn(message, withCount);
            }
            else {
                log.info(message, withCount);
            }
        }
        else {
            suppressed.incrementAndGet();
        }
    }
}
