package dev.genaiplatform.simulator.inspection;

import java.io.ByteArrayOutputStream;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The most recent request bodies, exactly as received, so tests and demos can see what the model was
 * really sent (for example that guardrails masked an e-mail address before it got here). It holds
 * prompts in memory: capacity 0 turns it off. Bounded by count and by total size, oldest dropped first.
 */
public final class RequestLog {

    private final int capacity;
    private final long maxTotalBytes;
    private final Deque<byte[]> bodies = new ArrayDeque<>();
    private long totalBytes;

    public RequestLog(int capacity, long maxTotalBytes) {
        this.capacity = capacity;
        this.maxTotalBytes = maxTotalBytes;
    }

    /** Keeps a body; the caller has checked that it is JSON. A body larger than the whole budget is not kept. */
    public synchronized void record(byte[] body) {
        if (capacity == 0 || body.length > maxTotalBytes) {
            return;
        }
        bodies.addLast(body);
        totalBytes += body.length;
        while (bodies.size() > capacity || totalBytes > maxTotalBytes) {
            totalBytes -= bodies.removeFirst().length;
        }
    }

    /** The kept bodies as one JSON array, oldest first, each body byte for byte as it arrived. */
    public synchronized byte[] asJsonArray() {
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(Integer.MAX_VALUE - 8, totalBytes + 2 + bodies.size()));
        out.write('[');
        boolean first = true;
        for (byte[] body : bodies) {
            if (!first) {
                out.write(',');
            }
            out.writeBytes(body);
            first = false;
        }
        out.write(']');
        return out.toByteArray();
    }

    public synchronized void clear() {
        bodies.clear();
        totalBytes = 0;
    }
}
