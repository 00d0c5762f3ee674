package dev.genaiplatform.launcher;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ./platform.sh} stopped with SIGTERM (Ctrl-C alike) while it is still starting: the launcher, run as a user
 * runs it (its packaged jar, in a JVM of its own), must stop every process it started, PostgreSQL's server (which
 * detaches from it) included, and free every port. Before wave 8 the exit hook was registered only once the start had
 * finished, so a stop during the start left the stores and the services already started running.
 */
@Order(4)
class StopDuringStartIT {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(360);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(240);

    /**
     * @param stopAfter the start's output line after which SIGTERM is sent: while the broker still starts (Redis is
     *                  up first), or once the first service is ready and the others are still starting
     */
    @ParameterizedTest
    @ValueSource(strings = {"  redis ", " ready at http://"})
    void aStopDuringTheStartLeavesNoProcessAndNoPortBehind(String stopAfter) throws Exception {
        LauncherSettings settings = RunningPlatform.freshSettings("platform-stop-data-", "stop-demo-key", "0.1",
                simulatorPort -> Map.of(), Map.of());
        Path output = Files.createTempFile("launcher-stop-", ".out");
        Process launcher = launcher(settings, output).start();
        List<ProcessHandle> started = new ArrayList<>();
        try {
            awaitLine(launcher, output, stopAfter);
            launcher.descendants().forEach(started::add);
            ProcessHandle postgres = postmaster(settings).orElse(null);
            if (postgres != null) {
                started.add(postgres);
            }

            launcher.destroy(); // SIGTERM
            assertThat(launcher.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS))
                    .as("the launcher exits after SIGTERM; its output:%n%s", Files.readString(output)).isTrue();

            assertThat(started).as("processes the launcher had started when it was stopped").isNotEmpty();
            assertThat(started.stream().filter(StopDuringStartIT::running).map(p -> p.pid() + " " + p.info().command())
                    .toList()).as("still running after the launcher exited").isEmpty();
            assertThat(launcher.descendants().filter(StopDuringStartIT::running).toList()).isEmpty();
            assertThat(Files.exists(settings.postgresDir().resolve("postmaster.pid")))
                    .as("PostgreSQL's postmaster.pid").isFalse();
            assertThat(ports(settings).filter(port -> !Platform.isFree(port)).boxed().toList())
                    .as("ports still taken").isEmpty();
            assertThat(Files.readString(output)).contains("Stopping the platform");
        } finally {
            // a failing run must not leave a platform behind on the build machine either
            launcher.destroyForcibly();
            started.forEach(ProcessHandle::destroyForcibly);
            postmaster(settings).ifPresent(ProcessHandle::destroyForcibly);
            Infrastructure.wipe(settings);
            Files.deleteIfExists(output);
        }
    }

    /** The launcher's packaged jar, as {@code platform.sh} runs it, with the test's ports and data directory. */
    private static ProcessBuilder launcher(LauncherSettings settings, Path output) throws IOException {
        Path jar;
        try (Stream<Path> files = Files.list(settings.home().resolve("infra/launcher/target"))) {
            jar = files.filter(p -> p.getFileName().toString().endsWith("-exec.jar")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("package the launcher first (mvn package)"));
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx512m", "-XX:+UseSerialGC",
                "--enable-native-access=ALL-UNNAMED", "-jar", jar.toString())
                .directory(settings.home().toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile());
        Map<String, String> env = new HashMap<>(Map.ofEntries(
                Map.entry("PLATFORM_HOME", settings.home().toString()),
                Map.entry("PLATFORM_DATA_DIR", settings.dataDir().toString()),
                // the CDS archives of the other tests, not the developer's AOT caches
                Map.entry("PLATFORM_AOT_CACHE", "false"),
                Map.entry("GATEWAY_PORT", port(settings.gatewayPort())),
                Map.entry("ORCHESTRATOR_PORT", port(settings.orchestratorPort())),
                Map.entry("RETRIEVAL_PORT", port(settings.retrievalPort())),
                Map.entry("TOOLS_AGENT_PORT", port(settings.toolsAgentPort())),
                Map.entry("GUARDRAILS_PORT", port(settings.guardrailsPort())),
                Map.entry("EVALUATION_PORT", port(settings.evaluationPort())),
                Map.entry("LLM_SIMULATOR_PORT", port(settings.simulatorPort())),
                Map.entry("KAFKA_PORT", port(settings.kafkaPort())),
                Map.entry("KAFKA_CONTROLLER_PORT", port(settings.kafkaControllerPort())),
                Map.entry("REDIS_PORT", port(settings.redisPort())),
                Map.entry("POSTGRES_PORT", port(settings.postgresPort())),
                Map.entry("MANAGEMENT_PORT_OFFSET", port(settings.managementPortOffset()))));
        builder.environment().putAll(env);
        return builder;
    }

    private static void awaitLine(Process launcher, Path output, String wanted) throws Exception {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            String text = Files.readString(output);
            if (text.lines().anyMatch(line -> line.contains(wanted))) {
                return;
            }
            assertThat(launcher.isAlive()).as("the launcher is still starting; its output:%n%s", text).isTrue();
            Thread.sleep(100);
        }
        throw new AssertionError("no line with '" + wanted + "' within " + START_TIMEOUT + ":\n" + Files.readString(output));
    }

    /**
     * Alive and not a zombie: a short-lived helper (initdb, pg_ctl) that ended after its parent can stay a zombie where
     * the container's init does not reap orphans; it holds no port and no memory, and {@code isAlive} still says true.
     */
    private static boolean running(ProcessHandle process) {
        if (!process.isAlive()) {
            return false;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException | RuntimeException gone) {
            return false;
        }
    }

    /** PostgreSQL's server process, which pg_ctl detaches from the launcher: its pid is postmaster.pid's first line. */
    private static Optional<ProcessHandle> postmaster(LauncherSettings settings) throws IOException {
        Path pidFile = settings.postgresDir().resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return Optional.empty();
        }
        List<String> lines = Files.readAllLines(pidFile);
        return lines.isEmpty() ? Optional.empty() : ProcessHandle.of(Long.parseLong(lines.get(0).trim()));
    }

    private static IntStream ports(LauncherSettings settings) {
        int[] services = {settings.gatewayPort(), settings.orchestratorPort(), settings.retrievalPort(),
                settings.toolsAgentPort(), settings.guardrailsPort(), settings.evaluationPort(), settings.simulatorPort()};
        return IntStream.concat(IntStream.concat(IntStream.of(services),
                        IntStream.of(services).map(p -> p + settings.managementPortOffset())),
                IntStream.of(settings.kafkaPort(), settings.kafkaControllerPort(), settings.redisPort(),
                        settings.postgresPort()));
    }

    private static String port(int port) {
        return Integer.toString(port);
    }
}
