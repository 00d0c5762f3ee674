package dev.genaiplatform.orchestrator.batch;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * One token bucket per provider: batch work takes a token per line and waits when there is none, so a provider gets
 * no more batch lines than it was configured to serve, whatever the queue holds. Interactive requests never touch
 * these buckets: the rate is what is left for batch work, not a limit on people. With a {@link SharedProviderBuckets}
 * the bucket is one for all instances (in Redis); without one, or while Redis is away, each instance has its own.
 */
final class ProviderBuckets {

    private final BatchSettings settings;
    private final LongSupplier nanoClock;
    private final SharedProviderBuckets shared;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    ProviderBuckets(BatchSettings settings) {
        this(settings, System::nanoTime, null);
    }

    ProviderBuckets(BatchSettings settings, LongSupplier nanoClock) {
        this(settings, nanoClock, null);
    }

    ProviderBuckets(BatchSettings settings, LongSupplier nanoClock, SharedProviderBuckets shared) {
        this.settings = settings;
        this.nanoClock = nanoClock;
        this.shared = shared;
    }

    /** Takes a token for one line: {@link Duration#ZERO} when taken, else how long until one is free (none taken). */
    Duration take(String provider) {
        if (this.shared != null) {
            java.util.Optional<Duration> taken = this.shared.take(provider, this.settings.rateOf(provider));
            if (taken.isPresent()) {
                return taken.get();
            }
        }
        return this.buckets.computeIfAbsent(provider, name -> new Bucket(this.settings.rateOf(name), this.nanoClock.getAsLong()))
                .take(this.nanoClock.getAsLong());
    }

    /** Lines per second batch work may send this provider. */
    double rate(String provider) {
        return this.settings.rateOf(provider).perSecond();
    }

    private static final class Bucket {

        private final double perNano;
        private final double capacity;
        private double tokens;
        private long refilledAt;

        Bucket(BatchSettings.Rate rate, long now) {
            this.perNano = rate.perSecond() / 1e9;
            this.capacity = rate.burst();
            this.tokens = rate.burst();
            this.refilledAt = now;
        }

        synchronized Duration take(long now) {
            this.tokens = Math.min(this.capacity, this.tokens + (now - this.refilledAt) * this.perNano);
            this.refilledAt = now;
            if (this.tokens >= 1) {
                this.tokens -= 1;
                return Duration.ZERO;
            }
            return Duration.ofNanos((long) Math.ceil((1 - this.tokens) / this.perNano));
        }
    }
}
