package dev.genaiplatform.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CPU time (user + system) used so far by each process of a running platform, read from {@code /proc/<pid>/stat}:
 * each service, this JVM (the Kafka broker, and the benchmark's client when a benchmark runs), and everything else
 * it started (PostgreSQL's processes, Redis). Two snapshots make a difference: CPU per minute at rest, or per
 * request under load. Empty where /proc does not exist.
 */
final class CpuTimes {

    static final String LAUNCHER = "launcher JVM (broker)";
    static final String STORES = "postgresql + redis";
    /** Linux reports utime and stime in clock ticks of 1/100 s (USER_HZ) on every architecture it runs on. */
    private static final long NANOS_PER_TICK = 10_000_000L;

    private CpuTimes() {
    }

    /** Nanoseconds of CPU per process group, in a stable order: the services as listed, then the launcher, the rest. */
    static Map<String, Long> snapshot(List<ServiceProcess> services) {
        Map<String, Long> byName = new LinkedHashMap<>();
        List<Long> servicePids = services.stream().map(ServiceProcess::pid).toList();
        for (ServiceProcess service : services) {
            byName.put(service.name(), cpuNanos(service.pid()));
        }
        byName.put(LAUNCHER, cpuNanos(ProcessHandle.current().pid()));
        long stores = ProcessHandle.current().descendants().mapToLong(ProcessHandle::pid)
                .filter(pid -> !servicePids.contains(pid)).map(CpuTimes::cpuNanos).sum();
        byName.put(STORES, stores);
        return byName;
    }

    /** {@code after - before} per name; a process that was not there before counts from zero. */
    static Map<String, Long> difference(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> used = new LinkedHashMap<>();
        after.forEach((name, nanos) -> used.put(name, Math.max(0, nanos - before.getOrDefault(name, 0L))));
        return used;
    }

    static long cpuNanos(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // the command name (field 2) is in parentheses and may hold spaces: count fields after its end
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // fields[0] is field 3 (state): utime is field 14, stime field 15
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * NANOS_PER_TICK;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
