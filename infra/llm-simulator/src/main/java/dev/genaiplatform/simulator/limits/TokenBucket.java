package dev.genaiplatform.simulator.limits;

/**
 * A bucket that holds up to a minute's allowance and refills continuously at that allowance per minute,
 * the usual model of a provider's "per minute" limit: a full bucket allows a burst of the whole
 * allowance, then requests flow at the refill rate. Not thread-safe: the owner locks.
 */
final class TokenBucket {

    private static final double NANOS_PER_MINUTE = 60e9;

    private final long capacity;
    private final double refillPerNano;
    private double available;
    private long updatedAt;

    TokenBucket(long perMinute, long now) {
        this.capacity = perMinute;
        this.refillPerNano = perMinute / NANOS_PER_MINUTE;
        this.available = perMinute;
        this.updatedAt = now;
    }

    void refill(long now) {
        if (now > updatedAt) {
            available = Math.min(capacity, available + (now - updatedAt) * refillPerNano);
            updatedAt = now;
        }
    }

    boolean holds(long amount) {
        return available >= amount;
    }

    void take(long amount) {
        available -= amount;
    }

    long capacity() {
        return capacity;
    }

    /** Whole units left, what {@code x-ratelimit-remaining-*} reports. */
    long remaining() {
        return (long) Math.floor(available);
    }

    /** Units spent and not yet refilled, what OpenAI's message calls "Used". */
    long used() {
        return capacity - remaining();
    }

    /** Nanoseconds until {@code amount} units are available (0 if they are). */
    long nanosUntil(long amount) {
        return available >= amount ? 0 : (long) Math.ceil((amount - available) / refillPerNano);
    }

    /** Nanoseconds until the bucket is full again, what {@code x-ratelimit-reset-*} reports. */
    long nanosUntilFull() {
        return (long) Math.ceil((capacity - available) / refillPerNano);
    }
}
