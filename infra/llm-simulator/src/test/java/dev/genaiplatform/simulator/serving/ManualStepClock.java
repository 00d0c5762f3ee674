package dev.genaiplatform.simulator.serving;

import java.time.Duration;
import java.util.Comparator;
import java.util.PriorityQueue;

/** A clock whose time moves only when the test says so; tasks run on the test's thread, in time order. */
final class ManualStepClock implements StepClock {

    private record Task(long at, long order, Runnable body) {
    }

    private final PriorityQueue<Task> tasks = new PriorityQueue<>(
            Comparator.comparingLong(Task::at).thenComparingLong(Task::order));
    private long now;
    private long order;

    @Override
    public long nanoTime() {
        return now;
    }

    @Override
    public void execute(Runnable task) {
        schedule(task, 0);
    }

    @Override
    public void schedule(Runnable task, long delayNanos) {
        tasks.add(new Task(now + Math.max(0, delayNanos), order++, task));
    }

    /** Runs what is due now, without moving time. */
    void runDue() {
        advanceBy(Duration.ZERO);
    }

    void advanceBy(Duration duration) {
        long target = now + duration.toNanos();
        while (!tasks.isEmpty() && tasks.peek().at() <= target) {
            Task next = tasks.poll();
            now = next.at();
            next.body().run();
        }
        now = target;
    }

    /** Runs every task, moving time to each in turn, until nothing is scheduled. */
    void runUntilIdle() {
        while (!tasks.isEmpty()) {
            Task next = tasks.poll();
            now = next.at();
            next.body().run();
        }
    }

    long nowMillis() {
        return Duration.ofNanos(now).toMillis();
    }

    @Override
    public void close() {
        tasks.clear();
    }
}
