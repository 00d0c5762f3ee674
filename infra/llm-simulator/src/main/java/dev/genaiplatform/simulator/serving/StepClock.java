package dev.genaiplatform.simulator.serving;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The time and the thread a model's scheduler runs on. Every task given to one clock runs on one thread,
 * one at a time, in order, so the scheduler's state needs no locks. Tests substitute a clock whose time
 * only moves when the test says so.
 */
public interface StepClock extends AutoCloseable {

    long nanoTime();

    /** Runs the task on the clock's thread as soon as the tasks before it have run. */
    void execute(Runnable task);

    /** Runs the task on the clock's thread once {@code delayNanos} have passed. */
    void schedule(Runnable task, long delayNanos);

    @Override
    void close();

    /** A real clock: {@link System#nanoTime()} and one daemon thread, named after the model. */
    static StepClock systemThread(String name) {
        ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread t = new Thread(task, name);
            t.setDaemon(true);
            return t;
        });
        return new StepClock() {
            @Override
            public long nanoTime() {
                return System.nanoTime();
            }

            @Override
            public void execute(Runnable task) {
                thread.execute(task);
            }

            @Override
            public void schedule(Runnable task, long delayNanos) {
                if (delayNanos <= 0) {
                    thread.execute(task);
                } else {
                    thread.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
                }
            }

            @Override
            public void close() {
                thread.shutdownNow();
            }
        };
    }
}
