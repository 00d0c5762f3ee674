package dev.genaiplatform.evaluation.aggregates;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The last {@code capacity} event ids seen, to drop events Kafka delivers twice (delivery is at least once:
 * a redelivery follows a rebalance or a crash before the offset commit, so it is close in time to the
 * original). Bounded on purpose: an unbounded set grows forever, and a duplicate that arrives after
 * {@code capacity} newer events is rare enough to be counted twice. The ids live in this process only.
 */
final class RecentEventIds {

    private final Map<String, Boolean> ids;

    RecentEventIds(int capacity) {
        this.ids = new LinkedHashMap<>(Math.min(capacity, 1 << 16), 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > capacity;
            }
        };
    }

    /** Remembers the id; false when it was already among the recent ones. */
    synchronized boolean firstSighting(String eventId) {
        return ids.putIfAbsent(eventId, Boolean.TRUE) == null;
    }
}
