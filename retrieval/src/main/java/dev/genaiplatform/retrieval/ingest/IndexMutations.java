package dev.genaiplatform.retrieval.ingest;

import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Serialises the two kinds of change that touch both the catalogue and the index: publishing an ingested file
 * and deleting one. Without it a delete could land between "the file is still there" and "publish its chunks",
 * leaving a deleted file searchable. One retrieval instance writes an index (Lucene's own write lock enforces it).
 */
public final class IndexMutations {

    private final ReentrantLock lock = new ReentrantLock();

    public <T> T exclusively(Supplier<T> change) {
        lock.lock();
        try {
            return change.get();
        } finally {
            lock.unlock();
        }
    }
}
