package dev.genaiplatform.guardrails.detection;

import java.util.Map;
import java.util.TreeMap;

/**
 * Accepts half-open spans {@code [start, end)} in the order offered and refuses any that overlaps one already
 * accepted. Whoever offers first wins, so callers decide precedence by the order they offer in.
 * O(log n) per offer, so a message with thousands of matches stays cheap.
 */
public final class NonOverlappingSpans {

    private final TreeMap<Integer, Integer> endByStart = new TreeMap<>();

    /** Accepts the span if it overlaps none accepted so far; says whether it did. */
    public boolean offer(int start, int end) {
        Map.Entry<Integer, Integer> before = endByStart.floorEntry(start);
        if (before != null && before.getValue() > start) {
            return false;
        }
        Map.Entry<Integer, Integer> after = endByStart.ceilingEntry(start);
        if (after != null && after.getKey() < end) {
            return false;
        }
        endByStart.put(start, end);
        return true;
    }
}
