package dev.genaiplatform.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * CPU time as Linux counts it in {@code /proc}: the whole machine's busy time ({@code /proc/stat}, every process and
 * the kernel's own work such as the network stack's) and a process tree's ({@code /proc/<pid>/stat}, all its threads).
 * The capacity validation reads it around each load run, so the model's CPU per request is measured with the sweep's
 * own client and requests, and the load generator's share of the machine is known.
 */
final class MachineCpu {

    /** /proc counts in USER_HZ ticks, 100 a second on Linux whatever the kernel's own tick rate. */
    static final double MS_PER_TICK = 10;

    private static final Path PROC = Path.of("/proc");

    /**
     * Counters read at one moment.
     *
     * @param nanos          {@link System#nanoTime()} when read
     * @param machineTicks   the machine's busy ticks (all cores)
     * @param generatorTicks the load generator's process tree (0 without one)
     * @param platformTicks  the platform's process tree (0 when not given)
     */
    record Sample(long nanos, long machineTicks, long generatorTicks, long platformTicks) {
    }

    /**
     * Busy cores between two samples: CPU seconds per second of wall time.
     *
     * @param seconds        the window's length
     * @param machineCores   the whole machine
     * @param generatorCores the load generator (Maven and Gatling's JVM)
     * @param platformCores  the platform's processes
     */
    record Use(double seconds, double machineCores, double generatorCores, double platformCores) {

        static Use between(Sample from, Sample to) {
            double seconds = (to.nanos() - from.nanos()) / 1e9;
            double perTick = MS_PER_TICK / 1000 / seconds;
            return new Use(seconds, (to.machineTicks() - from.machineTicks()) * perTick,
                    (to.generatorTicks() - from.generatorTicks()) * perTick,
                    (to.platformTicks() - from.platformTicks()) * perTick);
        }

        /** Milliseconds of CPU per request at {@code requestsPerSecond}, for busy {@code cores}. */
        static double msPerRequest(double cores, double requestsPerSecond) {
            return cores * 1000 / requestsPerSecond;
        }
    }

    /**
     * Busy ticks from {@code /proc/stat}'s first line ({@code cpu user nice system idle iowait irq softirq steal ...}):
     * user, nice, system, irq and softirq. Idle and I/O wait are not work; steal is time the hypervisor gave another
     * machine; guest time is already inside user.
     */
    static long busyTicks(String procStat) {
        String first = procStat.lines().findFirst().orElse("");
        String[] fields = first.strip().split("\\s+");
        if (fields.length < 8 || !fields[0].equals("cpu")) {
            throw new IllegalArgumentException("not /proc/stat's aggregate line: '" + first + "'");
        }
        return Long.parseLong(fields[1]) + Long.parseLong(fields[2]) + Long.parseLong(fields[3])
                + Long.parseLong(fields[6]) + Long.parseLong(fields[7]);
    }

    /**
     * A process's user + system ticks from {@code /proc/<pid>/stat} (fields 14 and 15, counted after the command
     * name, which is in parentheses and may hold spaces).
     */
    static long processTicks(String pidStat) {
        int nameEnd = pidStat.lastIndexOf(')');
        if (nameEnd < 0) {
            throw new IllegalArgumentException("not a /proc/<pid>/stat line: '" + pidStat.strip() + "'");
        }
        String[] fields = pidStat.substring(nameEnd + 2).strip().split(" ");
        if (fields.length < 13) {
            throw new IllegalArgumentException("a /proc/<pid>/stat line too short: '" + pidStat.strip() + "'");
        }
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // fields 14 and 15 counting from the pid
    }

    static Sample sample(Optional<ProcessHandle> generator, Optional<ProcessHandle> platform) {
        return new Sample(System.nanoTime(), machineBusyTicks(), generator.map(MachineCpu::treeTicks).orElse(0L),
                platform.map(MachineCpu::treeTicks).orElse(0L));
    }

    static long machineBusyTicks() {
        try {
            return busyTicks(Files.readString(PROC.resolve("stat")));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc/stat (the capacity validation needs Linux): " + e.getMessage());
        }
    }

    /** A process and its descendants, those alive now (a child that has ended takes its ticks with it). */
    static long treeTicks(ProcessHandle root) {
        return Stream.concat(Stream.of(root), root.descendants()).mapToLong(MachineCpu::ticksOf).sum();
    }

    static long ticksOf(ProcessHandle process) {
        try {
            return processTicks(Files.readString(PROC.resolve(String.valueOf(process.pid())).resolve("stat")));
        } catch (IOException e) {
            return 0; // it ended between the listing and the read
        }
    }

    private MachineCpu() {
    }
}
