package dev.genaiplatform.launcher;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Not a test: the whole platform's start (all services ready) and resident memory, for several ways of starting it,
 * side by side in one run. Run it by hand; the numbers go in the README ("Start and memory").
 *
 * <pre>./mvnw -q -pl infra/launcher test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=/tmp/launcher-cp.txt
 * java -cp infra/launcher/target/test-classes:infra/launcher/target/classes:$(cat /tmp/launcher-cp.txt) \
 *     dev.genaiplatform.launcher.StartupBenchmark 2 2,7,7:noaot</pre>
 *
 * <p>Arguments: rounds, then the ways to compare: a number is how many services start at once
 * ({@code PLATFORM_START_PARALLELISM}); {@code :noaot} adds {@code PLATFORM_AOT_CACHE=false}; {@code :stores-first}
 * starts the simulator only once the stores are ready, as before wave 8 (e.g. {@code 2,2:stores-first}). Every start uses one
 * data directory (so from the second on, the corpus is already indexed and the secrets exist, as on a developer's
 * restart) on ports 28xxx, and the repository's {@code .platform/aot} caches. A first start, not counted, trains the
 * caches and indexes the corpus; then each round starts and stops the platform once per way, in turn, so machine
 * load falls on all of them alike. Needs the packaged jars ({@code ./mvnw -DskipTests package}).
 */
public final class StartupBenchmark {

    private static final int BASE = 28_000;

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        List<String> ways = List.of((args.length > 1 ? args[1] : "2,7").split(","));
        Path home = LauncherSettings.findHome(Path.of("."));
        Path dataDir = Files.createTempDirectory("startup-bench-");
        Map<String, List<String>> results = new LinkedHashMap<>();
        try {
            // one untimed start per kind of cache among the ways: each trains its own (AOT cache or CDS archive)
            for (String cacheKind : ways.stream().map(w -> w.contains(":noaot") ? "2:noaot" : "2").distinct().toList()) {
                run(home, dataDir, cacheKind, "untimed first start (" + describe(cacheKind) + "): trains the cache");
            }
            for (int round = 1; round <= rounds; round++) {
                for (String way : ways) {
                    results.computeIfAbsent(way, w -> new ArrayList<>())
                            .add(run(home, dataDir, way, "round " + round + ", " + describe(way)));
                }
            }
        } finally {
            Infrastructure.wipe(LauncherSettings.from(home, environment(dataDir, "2")::get));
        }
        System.out.println();
        System.out.println("| way | all services ready, resident memory after start (load average at start) |");
        System.out.println("|---|---|");
        results.forEach((way, runs) -> System.out.println("| " + describe(way) + " | " + String.join("; ", runs) + " |"));
    }

    private static String run(Path home, Path dataDir, String way, String label) throws Exception {
        String load = Files.readString(Path.of("/proc/loadavg")).trim();
        System.out.printf("%s %s (load %s)%n", Instant.now(), label, load);
        LauncherSettings settings = LauncherSettings.from(home, environment(dataDir, way)::get);
        long stopStarted;
        String result;
        try (Platform platform = Platform.start(settings, line -> System.out.println("    " + line),
                !way.contains(":stores-first"))) {
            result = String.format("%.1f s, %,d MB (%s)", platform.startupTime().toMillis() / 1000.0,
                    platform.residentBytes() >> 20, load.split(" ")[0]);
            System.out.println("  -> " + result);
            // per process, after the heap trim: resident memory and the CPU its start took (all of its life so far)
            StringBuilder perProcess = new StringBuilder("     per process (resident MB, CPU s since its start):");
            for (ServiceProcess service : platform.services()) {
                perProcess.append(String.format(" %s %d/%.1f;", service.name(), Platform.residentBytesOf(service.pid()) >> 20,
                        CpuTimes.cpuNanos(service.pid()) / 1e9));
            }
            long self = ProcessHandle.current().pid();
            perProcess.append(String.format(" benchmark JVM with the broker %d/%.1f", Platform.residentBytesOf(self) >> 20,
                    CpuTimes.cpuNanos(self) / 1e9));
            System.out.println(perProcess);
            stopStarted = System.nanoTime();
        }
        System.out.printf("     stopped in %.1f s%n", (System.nanoTime() - stopStarted) / 1e9);
        return result;
    }

    private static Map<String, String> environment(Path dataDir, String way) {
        Map<String, String> env = new HashMap<>(Map.ofEntries(
                Map.entry("PLATFORM_DATA_DIR", dataDir.toString()),
                Map.entry("GATEWAY_PORT", port(80)), Map.entry("ORCHESTRATOR_PORT", port(81)),
                Map.entry("RETRIEVAL_PORT", port(82)), Map.entry("TOOLS_AGENT_PORT", port(83)),
                Map.entry("GUARDRAILS_PORT", port(84)), Map.entry("EVALUATION_PORT", port(85)),
                Map.entry("LLM_SIMULATOR_PORT", port(90)), Map.entry("KAFKA_PORT", port(92)),
                Map.entry("KAFKA_CONTROLLER_PORT", port(93)), Map.entry("REDIS_PORT", port(379)),
                Map.entry("POSTGRES_PORT", port(432))));
        env.put("PLATFORM_START_PARALLELISM", way.split(":")[0]);
        if (way.contains(":noaot")) {
            env.put("PLATFORM_AOT_CACHE", "false");
        }
        return env;
    }

    private static String describe(String way) {
        return way.split(":")[0] + " at once" + (way.contains(":noaot") ? ", no AOT cache (CDS)" : "")
                + (way.contains(":stores-first") ? ", the simulator after the stores (before wave 8)" : "");
    }

    private static String port(int offset) {
        return Integer.toString(BASE + offset);
    }

    private StartupBenchmark() {
    }
}
