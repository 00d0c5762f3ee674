package dev.genaiplatform.orchestrator.batch;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class ProviderBucketsTests {

    private final AtomicLong now = new AtomicLong();
    private final ProviderBuckets buckets = new ProviderBuckets(new BatchSettings(null, 10, 1024,
            Map.of("slow", new BatchSettings.Rate(0.5, 2)), new BatchSettings.Rate(10, 1), 1, null, 3, null, null, null, null,
            null, null, null, false), this.now::get);

    @Test
    void aProviderGetsItsBurstAtOnceThenOneLinePerIntervalOfItsRate() {
        assertThat(this.buckets.take("slow")).isZero();
        assertThat(this.buckets.take("slow")).isZero();
        assertThat(this.buckets.take("slow")).isEqualTo(Duration.ofSeconds(2));

        this.now.addAndGet(Duration.ofMillis(1500).toNanos());
        assertThat(this.buckets.take("slow")).isEqualTo(Duration.ofMillis(500));
        this.now.addAndGet(Duration.ofMillis(500).toNanos());
        assertThat(this.buckets.take("slow")).isZero();
    }

    @Test
    void aQuietSpellRefillsNoMoreThanTheBurst() {
        this.buckets.take("slow");
        this.buckets.take("slow");
        this.now.addAndGet(Duration.ofHours(1).toNanos());

        assertThat(this.buckets.take("slow")).isZero();
        assertThat(this.buckets.take("slow")).isZero();
        assertThat(this.buckets.take("slow")).isPositive();
    }

    @Test
    void providersHaveTheirOwnBucketsAndUnnamedOnesTheDefaultRate() {
        this.buckets.take("slow");
        this.buckets.take("slow");

        assertThat(this.buckets.take("simulator")).isZero();
        assertThat(this.buckets.take("simulator")).isEqualTo(Duration.ofMillis(100));
        assertThat(this.buckets.rate("other")).isEqualTo(10);
        assertThat(this.buckets.rate("slow")).isEqualTo(0.5);
    }
}
