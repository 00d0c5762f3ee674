package dev.genaiplatform.orchestrator.cache;

import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * The exact answer cache ({@code platform.orchestrator.cache.*}).
 *
 * @param enabled      off: every request computes its answer ({@code X-Platform-Cache: bypass})
 * @param ttl          how long an answer is kept; documents that change evict earlier
 * @param lockWait     how long a request waits for another instance computing the same key before computing itself
 * @param pollInterval how often it looks while waiting
 * @param reactiveHits on (the default): a request that can be a plain hit looks the cache up on the event loop and a
 *                     hit is answered there, without the hop to a virtual thread (README, Benchmark, wave 8); off only
 *                     to measure the old path side by side: every request runs on a virtual thread
 */
public record CacheSettings(@DefaultValue("true") boolean enabled, @DefaultValue("10m") Duration ttl,
                            @DefaultValue("30s") Duration lockWait, @DefaultValue("20ms") Duration pollInterval,
                            @DefaultValue("true") boolean reactiveHits) {
}
