package dev.genaiplatform.launcher;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One platform per data directory: a second launcher on the same directory (or a wipe while one runs)
 * would corrupt Kafka's log and PostgreSQL's files, so the running launcher holds an OS file lock on
 * {@code platform.lock}. The OS releases it if the launcher dies, so a crash never leaves it stale.
 */
final class DataDirectoryLock implements AutoCloseable {

    static final String FILE_NAME = "platform.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private DataDirectoryLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    static DataDirectoryLock acquire(Path dataDir) throws IOException {
        FileChannel channel = FileChannel.open(dataDir.resolve(FILE_NAME), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException heldByThisJvm) {
            lock = null;
        }
        if (lock == null) {
            channel.close();
            throw new IllegalStateException("A platform is already running on " + dataDir
                    + ". Stop it first, or give this one its own PLATFORM_DATA_DIR.");
        }
        return new DataDirectoryLock(channel, lock);
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
