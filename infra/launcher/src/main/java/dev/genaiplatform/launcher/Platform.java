package dev.genaiplatform.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The whole platform on one machine: the {@link Infrastructure} (Kafka broker, Redis, PostgreSQL) and
 * every service as a JVM of its own. Used by the command-line launcher and by the end-to-end test alike, so the test
 * runs the platform exactly the way a user does.
 */
final class Platform implements AutoCloseable {

    /** Full collections in a row that let the serial collector give back all of a heap's excess (see trimHeaps). */
    static final int TRIM_COLLECTIONS = 4;

    /**
     * How long a stop that arrives during the start waits for the start to give up: its current step (a store's
     * start, a service's process start) finishes first, seconds on a busy machine; then everything stops regardless.
     */
    private static final Duration START_UNWIND_TIMEOUT = Duration.ofSeconds(60);

    private final LauncherSettings settings;
    private final Consumer<String> log;
    private final List<ServiceProcess> services = new ArrayList<>();
    /** Stops the platform if the JVM exits (Ctrl-C, SIGTERM) before {@link #close} was called, during the start too. */
    private final Thread stopOnExit = new Thread(this::stopOnExit, "platform-stop-on-exit");
    private final CountDownLatch startEnded = new CountDownLatch(1);
    private final CompletableFuture<Void> servicesStarted = new CompletableFuture<>();
    private volatile boolean stopping;
    private boolean closed;
    private Infrastructure infrastructure;
    private Duration startupTime;

    private Platform(LauncherSettings settings, Consumer<String> log) {
        this.settings = settings;
        this.log = log;
    }

    /**
     * Starts the platform and returns once every service is ready. From the first step on, a JVM that exits (Ctrl-C,
     * SIGTERM) stops whatever has started: the start gives up at its next step and the stores and services already
     * running are stopped, so no process outlives the launcher.
     */
    static Platform start(LauncherSettings settings, Consumer<String> log) throws Exception {
        return start(settings, log, true);
    }

    /**
     * @param standaloneWithStores false: every service waits for the stores, the simulator too (the order before wave
     *                             8, kept for {@code StartupBenchmark} to compare)
     */
    static Platform start(LauncherSettings settings, Consumer<String> log, boolean standaloneWithStores)
            throws Exception {
        return start(settings, log, standaloneWithStores, name -> true);
    }

    /**
     * Only the services {@code wanted} names (a test that needs part of the platform, e.g. not tools-agent and
     * evaluation for chats alone, saves their start and memory); the stores always.
     */
    static Platform start(LauncherSettings settings, Consumer<String> log, Predicate<String> wanted) throws Exception {
        return start(settings, log, true, wanted);
    }

    private static Platform start(LauncherSettings settings, Consumer<String> log, boolean standaloneWithStores,
                                  Predicate<String> wanted) throws Exception {
        Platform platform = new Platform(settings, log);
        Runtime.getRuntime().addShutdownHook(platform.stopOnExit);
        try {
            platform.startAll(standaloneWithStores, wanted);
            return platform;
        } catch (Exception e) {
            boolean stopRequested = platform.stopping;
            platform.close();
            throw stopRequested ? new IllegalStateException("stopped while starting (" + e.getMessage() + ")", e) : e;
        } catch (Error e) {
            platform.close();
            throw e;
        } finally {
            platform.startEnded.countDown();
        }
    }

    /**
     * The stores first, side by side; a service that needs none of them (the simulator) starts at the same time; the
     * others as soon as the stores are ready, {@link LauncherSettings#startParallelism} at a time in all.
     */
    private void startAll(boolean standaloneWithStores, Predicate<String> wanted) throws Exception {
        long started = System.nanoTime();
        checkPortsAreFree();
        Files.createDirectories(settings.stateDir());

        synchronized (this) {
            checkNotStopping();
            infrastructure = Infrastructure.open(settings);
        }
        CompletableFuture<Void> storesReady = new CompletableFuture<>();
        if (!standaloneWithStores) {
            infrastructure.startStores(log);
            storesReady.complete(null);
        }
        Thread serviceStarter = Thread.ofPlatform().name("service-start").start(() -> {
            try {
                List<ServiceSpec> specs = infrastructure.environment().services().stream()
                        .filter(spec -> wanted.test(spec.name())).toList();
                ServiceProcess.startAll(specs, settings.startParallelism(), settings,
                        // a failed store start ends the simulator's start too: the whole start failed
                        storesReady, () -> stopping || storesReady.isCompletedExceptionally(), this::adopt, log);
                servicesStarted.complete(null);
            } catch (Throwable e) {
                servicesStarted.completeExceptionally(e);
            }
        });
        try {
            if (!storesReady.isDone()) {
                infrastructure.startStores(log);
                storesReady.complete(null);
            }
        } catch (Exception | Error e) {
            storesReady.completeExceptionally(e);
            serviceStarter.join();
            throw e;
        }
        try {
            servicesStarted.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
        startupTime = Duration.ofNanos(System.nanoTime() - started);
        if (settings.lean()) {
            trimHeaps(services());
        }
    }

    /** Every service process joins the list the moment it runs; one that arrives after the stop is stopped at once. */
    private synchronized void adopt(ServiceProcess service) {
        if (closed) {
            service.close();
            throw new CancellationException("the platform is stopping");
        }
        services.add(service);
    }

    private void checkNotStopping() {
        if (stopping) {
            throw new CancellationException("the platform is stopping");
        }
    }

    /** The JVM is exiting: let a start in progress give up (it stops what it started), then stop everything. */
    private void stopOnExit() {
        stopping = true;
        try {
            if (!startEnded.await(START_UNWIND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                log.accept("  the start did not give up within " + START_UNWIND_TIMEOUT.toSeconds() + " s: stopping anyway");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        stopEverything();
    }

    /**
     * Full collections in every service once all are ready: start-up leaves the old generation committed at its
     * high-water mark, and the serial collector gives heap back only after a full collection, damped (0 %, 10 %, 40 %,
     * then all of the excess over {@code MaxHeapFreeRatio}, on four collections in a row), so {@value #TRIM_COLLECTIONS}
     * in a row. Measured in the README ("Start and memory"). Through {@code jcmd}, next to the launcher's
     * {@code java}; without one, nothing happens.
     */
    static void trimHeaps(List<ServiceProcess> services) {
        Path jcmd = Path.of(ProcessHandle.current().info().command().orElse("java")).resolveSibling("jcmd");
        if (!Files.isExecutable(jcmd)) {
            return;
        }
        for (int round = 0; round < TRIM_COLLECTIONS; round++) {
            List<Process> runs = new ArrayList<>();
            for (ServiceProcess service : services) {
                try {
                    runs.add(new ProcessBuilder(jcmd.toString(), Long.toString(service.pid()), "GC.run")
                            .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
                } catch (IOException e) {
                    // a service that cannot be asked keeps its heap: only memory, never correctness
                }
            }
            for (Process run : runs) {
                try {
                    if (!run.waitFor(30, TimeUnit.SECONDS)) {
                        run.destroyForcibly();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private void checkPortsAreFree() {
        List<Integer> ports = new ArrayList<>(List.of(settings.kafkaPort(), settings.kafkaControllerPort(),
                settings.redisPort(), settings.postgresPort()));
        // only the ports matter here, so throw-away secrets will do
        new ServiceEnvironment(settings, PlatformSecrets.of(Map.of())).services().forEach(s -> {
            ports.add(s.port());
            ports.add(s.managementPort());
        });
        List<Integer> busy = ports.stream().filter(port -> !isFree(port)).toList();
        if (!busy.isEmpty()) {
            throw new IllegalStateException("Port(s) " + busy + " are already in use. Is the platform already running? "
                    + "Stop it, or move this one with environment variables (GATEWAY_PORT, KAFKA_PORT, REDIS_PORT, "
                    + "POSTGRES_PORT, MANAGEMENT_PORT_OFFSET, ...).");
        }
    }

    static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The credentials of this run's data directory (for the banner and the tests). */
    PlatformSecrets secrets() {
        return infrastructure.secrets();
    }

    /** The broker in the launcher's JVM (its ACLs, for the tests). */
    KafkaBroker kafka() {
        return infrastructure.kafka();
    }

    Duration startupTime() {
        return startupTime;
    }

    synchronized List<ServiceProcess> services() {
        return List.copyOf(services);
    }

    /**
     * Resident memory of the whole platform: this JVM (broker included) and every process it started
     * (services and Redis), read from /proc. Zero where /proc does not exist.
     */
    long residentBytes() {
        List<ProcessHandle> all = new ArrayList<>();
        all.add(ProcessHandle.current());
        ProcessHandle.current().descendants().forEach(all::add);
        return all.stream().mapToLong(p -> residentBytesOf(p.pid())).sum();
    }

    static long residentBytesOf(long pid) {
        Path status = Path.of("/proc", Long.toString(pid), "status");
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | UncheckedIOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }

    /**
     * Kills one service the hard way (SIGKILL), for crash tests: the rest of the platform keeps running, and
     * {@link #restart} brings the service back with the same environment, ports and data.
     */
    void kill(String name) throws InterruptedException {
        ServiceProcess service = service(name);
        service.kill();
        synchronized (this) {
            services.remove(service);
        }
        log.accept(String.format("  %-13s killed (SIGKILL, pid %d)", name, service.pid()));
    }

    /** Starts a service that {@link #kill} stopped, exactly as the platform first started it, and waits until ready. */
    void restart(String name) throws Exception {
        if (running(name)) {
            throw new IllegalStateException(name + " is still running: kill it first");
        }
        ServiceSpec spec = infrastructure.environment().services().stream()
                .filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("No service " + name));
        // keep the killed process's log for whoever reads what happened
        Path logs = settings.stateDir().resolve("logs");
        Path previous = logs.resolve(name + ".log");
        if (Files.exists(previous)) {
            Files.move(previous, logs.resolve(name + ".before-restart-" + System.currentTimeMillis() + ".log"));
        }
        long t0 = System.nanoTime();
        ServiceProcess service = ServiceProcess.start(spec, settings.home(), settings.stateDir(),
                settings.aheadOfTimeCache());
        adopt(service);
        service.awaitReady();
        log.accept(String.format("  %-13s restarted, ready in %.1f s (pid %d)", name, (System.nanoTime() - t0) / 1e9,
                service.pid()));
    }

    boolean running(String name) {
        return services().stream().anyMatch(s -> s.name().equals(name));
    }

    private ServiceProcess service(String name) {
        return services().stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("No running service " + name));
    }

    /** Stops everything in reverse order of start: the gateway stops taking requests first. */
    @Override
    public void close() {
        stopping = true;
        try {
            Runtime.getRuntime().removeShutdownHook(stopOnExit);
        } catch (IllegalStateException exiting) {
            // the JVM is already exiting: the hook runs (or ran) stopEverything too, which is idempotent
        }
        stopEverything();
    }

    private synchronized void stopEverything() {
        closed = true;
        long t0 = System.nanoTime();
        List<ServiceProcess> running = new ArrayList<>(services);
        Collections.reverse(running);
        // SIGTERM to all at once (the gateway first), then wait: stopping one after another costs minutes
        running.forEach(ServiceProcess::requestStop);
        running.forEach(ServiceProcess::close);
        services.clear();
        double servicesStopped = (System.nanoTime() - t0) / 1e9;
        if (infrastructure != null) {
            infrastructure.close();
            infrastructure = null;
        }
        if (!running.isEmpty() || servicesStopped > 0.5) {
            log.accept(String.format("  stopped %d services in %.1f s, then the stores in %.1f s", running.size(),
                    servicesStopped, (System.nanoTime() - t0) / 1e9 - servicesStopped));
        }
    }
}
