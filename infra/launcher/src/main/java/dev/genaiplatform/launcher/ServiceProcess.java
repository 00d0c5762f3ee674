package dev.genaiplatform.launcher;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * One service running as its own JVM, started from the runnable jar its Maven module built. Its output
 * goes to a log file; it counts as started once its readiness probe answers 200.
 */
final class ServiceProcess implements AutoCloseable {

    /**
     * Generous: it costs nothing when a service starts in time, and a build machine shared with other builds (load
     * average 30 on two cores) took 178 s to start retrieval and more than 180 s for tools-agent.
     */
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(360);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(15);
    /** A service that trained an ahead-of-time cache assembles it as it exits: tens of seconds on a busy machine. */
    private static final Duration TRAINING_STOP_TIMEOUT = Duration.ofSeconds(180);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final ServiceSpec spec;
    private final Path logFile;
    private final Process process;
    private final boolean trainsCache;
    private volatile boolean answersOnManagementPort;
    private volatile long stopRequestedAt;

    private ServiceProcess(ServiceSpec spec, Path logFile, Process process, boolean trainsCache) {
        this.spec = spec;
        this.logFile = logFile;
        this.process = process;
        this.trainsCache = trainsCache;
    }

    /** Whether this run trains the service's start-up cache (written as it exits, so its stop may take minutes). */
    boolean trainsCache() {
        return trainsCache;
    }

    /**
     * Starts {@code specs}, at most {@code inParallel} at a time, adds each to {@code started} as soon as it runs (so
     * a failure still stops it) and returns when every one is ready; the first failure is thrown.
     */
    static void startAll(List<ServiceSpec> specs, int inParallel, LauncherSettings settings,
                         List<ServiceProcess> started, Consumer<String> log) throws Exception {
        startAll(specs, inParallel, settings, CompletableFuture.completedFuture(null), () -> false, started::add, log);
    }

    /**
     * As above, but a service that needs a store ({@link ServiceSpec#needsStores}) starts only once {@code storesReady}
     * completes, while one that needs none may start at once; and the start gives up, stopping nothing itself, as
     * soon as {@code stopping} says so: {@code adopt} receives every process the moment it runs (and may refuse it by
     * throwing, after stopping it), so whoever stops the platform stops it too. Returns only when no start of its own
     * is still running, so nothing is adopted after it returns.
     */
    static void startAll(List<ServiceSpec> specs, int inParallel, LauncherSettings settings, Future<?> storesReady,
                         BooleanSupplier stopping, Consumer<ServiceProcess> adopt, Consumer<String> log)
            throws Exception {
        ExecutorService starter = Executors.newFixedThreadPool(inParallel);
        try {
            List<Future<?>> starts = new ArrayList<>();
            for (ServiceSpec spec : specs) {
                starts.add(starter.submit(() -> {
                    if (spec.needsStores()) {
                        awaitStores(storesReady, stopping);
                    }
                    checkNotStopping(stopping);
                    long t0 = System.nanoTime();
                    ServiceProcess service = start(spec, settings.home(), settings.stateDir(),
                            settings.aheadOfTimeCache());
                    adopt.accept(service);
                    service.awaitReady(stopping);
                    log.accept(String.format("  %-13s ready at http://127.0.0.1:%d in %.1f s, %.1f s of CPU (pid %d%s)",
                            spec.name(), spec.port(), (System.nanoTime() - t0) / 1e9,
                            CpuTimes.cpuNanos(service.pid()) / 1e9, service.pid(),
                            service.answersOnManagementPort() ? ", actuator on " + spec.managementPort()
                                    : ", actuator still on its main port"));
                    return null;
                }));
            }
            for (Future<?> start : starts) {
                try {
                    start.get();
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof Exception cause ? cause : e;
                }
            }
        } finally {
            starter.shutdownNow();
            // a start still between its process and adopt() must finish handing it over before we return
            if (!starter.awaitTermination(30, TimeUnit.SECONDS)) {
                log.accept("  (a service start did not end within 30 s of the others)");
            }
        }
    }

    /** Waits for the stores; a failure there is the stores' to report, so this start just gives up. */
    private static void awaitStores(Future<?> storesReady, BooleanSupplier stopping) throws Exception {
        while (true) {
            checkNotStopping(stopping);
            try {
                storesReady.get(200, TimeUnit.MILLISECONDS);
                return;
            } catch (TimeoutException stillStarting) {
                // check stopping again
            } catch (ExecutionException | CancellationException storesFailed) {
                throw new CancellationException("the stores did not start");
            }
        }
    }

    private static void checkNotStopping(BooleanSupplier stopping) {
        if (stopping.getAsBoolean()) {
            throw new CancellationException("the platform is stopping");
        }
    }

    static ServiceProcess start(ServiceSpec spec, Path home, Path stateDir, boolean aheadOfTimeCache) throws IOException {
        Path jar = runnableJar(home.resolve(spec.moduleDir()));
        Path logDir = Files.createDirectories(stateDir.resolve("logs"));
        Path logFile = logDir.resolve(spec.name() + ".log");

        List<String> options = new ArrayList<>();
        options.add("-Xmx" + spec.maxHeap());
        options.add("-Xss512k");
        // small heaps on a small machine: the serial collector costs the least memory and no extra threads
        options.add("-XX:+UseSerialGC");
        options.add("--enable-native-access=ALL-UNNAMED");
        // the embedding library phones home unless told it is offline: the platform talks only to loopback
        options.add("-Dai.djl.offline=true");
        options.add("-DOPT_OUT_TRACKING=true");
        options.addAll(spec.jvmArgs());
        // unpacked, its classes come from the ahead-of-time cache (README, "Wave 11"); a new unpacking retrains it
        ExtractedJar.Result application = ExtractedJar.prepare(spec.name(), jar, stateDir);
        if (application.unpacked()) {
            StartupCache.forget(spec.name(), stateDir);
        }
        StartupCache.Plan cache = StartupCache.plan(spec.name(), jar, stateDir, aheadOfTimeCache, options);

        List<String> command = new ArrayList<>();
        command.add(currentJava());
        command.addAll(options);
        command.addAll(cache.options());
        command.add("-jar");
        command.add(application.jar().toString());
        command.addAll(spec.extraArgs());

        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(home.toFile())
                .redirectErrorStream(true)
                .redirectOutput(logFile.toFile());
        builder.environment().putAll(spec.env());
        builder.environment().put("DJL_OFFLINE", "true");
        builder.environment().put("OPT_OUT_TRACKING", "true");
        return new ServiceProcess(spec, logFile, builder.start(), cache.trains());
    }

    /**
     * Polls the readiness probe until it answers 200; fails early, with the log's tail, if the JVM dies.
     * The probe is on the management port (ADR 0004); a service that still serves actuator on its main
     * port is accepted there too, so the launcher runs services from before and after the move.
     */
    void awaitReady() throws InterruptedException {
        awaitReady(() -> false);
    }

    /** As {@link #awaitReady()}, giving up (the process left running, for whoever stops) once {@code stopping}. */
    void awaitReady(BooleanSupplier stopping) throws InterruptedException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        HttpRequest probe = probe(spec.readinessUrl());
        HttpRequest legacyProbe = probe(spec.legacyReadinessUrl());
        while (System.nanoTime() < deadline) {
            checkNotStopping(stopping);
            if (!process.isAlive()) {
                throw new IllegalStateException(spec.name() + " exited with code " + process.exitValue()
                        + " before it was ready. Last lines of " + logFile + ":\n" + logTail(40));
            }
            if (answers(probe)) {
                answersOnManagementPort = true;
                return;
            }
            if (answers(legacyProbe)) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException(spec.name() + " was not ready after " + READY_TIMEOUT.toSeconds()
                + " s. Last lines of " + logFile + ":\n" + logTail(40));
    }

    private static HttpRequest probe(String url) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).GET().build();
    }

    private static boolean answers(HttpRequest probe) throws InterruptedException {
        try {
            return HTTP.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException notListeningYet) {
            // the port opens only late in start-up
            return false;
        }
    }

    /** Whether readiness answered on the management port (false: the service still serves it on its main port). */
    boolean answersOnManagementPort() {
        return answersOnManagementPort;
    }

    String name() {
        return spec.name();
    }

    int port() {
        return spec.port();
    }

    long pid() {
        return process.pid();
    }

    Path logFile() {
        return logFile;
    }

    String logTail(int lines) {
        try (Stream<String> all = Files.lines(logFile)) {
            List<String> kept = all.toList();
            return String.join("\n", kept.subList(Math.max(0, kept.size() - lines), kept.size()));
        } catch (IOException | RuntimeException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    /** Asks the JVM to stop (SIGTERM: Spring shuts down gracefully) without waiting; {@link #close} then waits. */
    void requestStop() {
        if (process.isAlive()) {
            stopRequestedAt = System.nanoTime();
            process.destroy();
        }
    }

    /**
     * Kills the JVM at once (SIGKILL: no shutdown hook, no graceful stop, open transactions and connections simply
     * vanish), as a crash or an OOM killer would, and waits until it is gone.
     */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException(spec.name() + " (pid " + process.pid() + ") did not die on SIGKILL");
        }
    }

    /**
     * Asks the JVM to stop (SIGTERM: Spring shuts down gracefully), and kills it if it does not within its timeout,
     * counted from {@link #requestStop} when that came first: the platform asks every service at once and then waits
     * for each in turn, so the waits overlap instead of adding up (before wave 8 each wait started anew, and a stop of
     * seven training services could take 7 x 180 s).
     */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        if (stopRequestedAt == 0) {
            requestStop();
        }
        try {
            Duration timeout = trainsCache ? TRAINING_STOP_TIMEOUT : STOP_TIMEOUT;
            long left = timeout.toNanos() - (System.nanoTime() - stopRequestedAt);
            if (!process.waitFor(Math.max(0, left), TimeUnit.NANOSECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static Path runnableJar(Path moduleDir) throws IOException {
        Path target = moduleDir.resolve("target");
        if (Files.isDirectory(target)) {
            try (Stream<Path> files = Files.list(target)) {
                var jar = files.filter(p -> p.getFileName().toString().endsWith("-exec.jar")).findFirst();
                if (jar.isPresent()) {
                    return jar.get();
                }
            }
        }
        throw new IllegalStateException("No runnable jar in " + target + ". Build first: ./mvnw -DskipTests package");
    }

    private static String currentJava() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }
}
