package dev.genaiplatform.load;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What {@link ValidateCapacity} measures on the machine: its idle background, the probe of sequential requests, and
 * load runs with the machine's CPU read over their steady part. Linux only ({@link MachineCpu}).
 */
final class Measurements {

    /** A load run's result with the machine's busy cores over its steady part. */
    record LoadRun(GatlingSummary summary, MachineCpu.Use cpu) {
    }

    /** Gatling's line when injection starts ("Simulation dev.genaiplatform.load.PlatformSimulation started..."). */
    static boolean isSimulationStart(String line) {
        return line.startsWith("Simulation ") && line.endsWith(" started...");
    }

    /**
     * The window of a load run whose CPU is read: from a few seconds after injection starts (connections opened, the
     * first requests' queue drained) to a second before it ends (the last arrivals).
     */
    static long[] steadyWindowSeconds(int durationSeconds) {
        long settle = Math.min(5, durationSeconds / 4);
        return new long[] {settle, durationSeconds - 1};
    }

    /** The machine's busy cores over {@code seconds} while nothing is asked of the platform. */
    static MachineCpu.Use idle(int seconds, Optional<ProcessHandle> platform) {
        MachineCpu.Sample from = MachineCpu.sample(Optional.empty(), platform);
        sleep(seconds * 1000L);
        return MachineCpu.Use.between(from, MachineCpu.sample(Optional.empty(), platform));
    }

    /**
     * {@code requests} sequential requests on one kept-alive connection (after {@code warmUp} not counted), each
     * followed by {@code pauseMs}, with the machine's busy ticks read just before and after each one. A tick is 10 ms
     * and a request shorter, so one reading is coarse, but the kernel's accounting charges each tick to what runs at
     * that moment: over hundreds of requests the mean is the CPU the machine spent while a request was in flight.
     */
    static MeasuredInputs.Probe probe(URI target, String apiKey, String body, int warmUp, int requests, int pauseMs,
                                      Optional<ProcessHandle> platform) {
        ProcessHandle self = ProcessHandle.current();
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build()) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(target + "/v1/chat/completions"))
                    .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + apiKey)
                    .header("Content-Type", "application/json").header("Cache-Control", "no-cache")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build();
            for (int i = 0; i < warmUp; i++) {
                send(client, request);
                sleep(pauseMs);
            }
            // the platform's processes are listed once: listing them around every request would cost more than it
            List<ProcessHandle> platformProcesses = platform.map(root -> Stream.concat(Stream.of(root), root.descendants())
                    .toList()).orElse(List.of());
            long busyTicks = 0;
            long ownTicks = 0;
            long platformTicks = 0;
            long flightNanos = 0;
            for (int i = 0; i < requests; i++) {
                // nested readings: the platform's outside, this program's inside, the machine's closest to the request
                long platformBefore = ticksOf(platformProcesses);
                long ownBefore = MachineCpu.ticksOf(self);
                long busyBefore = MachineCpu.machineBusyTicks();
                long start = System.nanoTime();
                send(client, request);
                flightNanos += System.nanoTime() - start;
                busyTicks += MachineCpu.machineBusyTicks() - busyBefore;
                ownTicks += MachineCpu.ticksOf(self) - ownBefore;
                platformTicks += ticksOf(platformProcesses) - platformBefore;
                sleep(pauseMs);
            }
            double meanMs = flightNanos / 1e6 / requests;
            return new MeasuredInputs.Probe(requests, meanMs, busyTicks * MachineCpu.MS_PER_TICK / requests, meanMs,
                    ownTicks * MachineCpu.MS_PER_TICK / requests,
                    platform.isPresent() ? platformTicks * MachineCpu.MS_PER_TICK / requests : Double.NaN);
        }
    }

    private static long ticksOf(List<ProcessHandle> processes) {
        return processes.stream().mapToLong(MachineCpu::ticksOf).sum();
    }

    private static void send(HttpClient client, HttpRequest request) {
        try {
            HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("the probe's request was answered " + response.statusCode()
                        + ": start the platform with the demo limits lifted (cpu-per-request.sh's header)");
            }
        } catch (IOException e) {
            throw new IllegalStateException("the probe's request failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }

    /**
     * Runs the load kit, shows its output as it comes, and reads the machine's CPU (and the load generator's: this
     * process's descendants, Maven and Gatling's JVM; and the platform's, when its launcher is known) over the steady
     * window, timed from Gatling's start line.
     */
    static LoadRun loadRun(List<String> command, int durationSeconds, Optional<ProcessHandle> platform) {
        long[] window = steadyWindowSeconds(durationSeconds);
        CompletableFuture<MachineCpu.Sample> from = new CompletableFuture<>();
        CompletableFuture<MachineCpu.Sample> to = new CompletableFuture<>();
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        try {
            String output = runEchoing(command, Map.of(), (process, line) -> {
                if (isSimulationStart(line) && !from.isDone() && !to.isDone()) {
                    Optional<ProcessHandle> generator = Optional.of(process.toHandle());
                    timer.schedule(() -> from.complete(MachineCpu.sample(generator, platform)), window[0], TimeUnit.SECONDS);
                    timer.schedule(() -> to.complete(MachineCpu.sample(generator, platform)), window[1], TimeUnit.SECONDS);
                }
            });
            if (!to.isDone()) {
                throw new IllegalStateException(command.getFirst() + " ended before its steady window did (no line \""
                        + "Simulation ... started...\", or a run shorter than asked): its CPU could not be read");
            }
            try {
                return new LoadRun(GatlingSummary.parse(output), MachineCpu.Use.between(from.join(), to.join()));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(command.getFirst() + ": " + e.getMessage());
            }
        } finally {
            timer.shutdownNow();
        }
    }

    /** What to do with each line of a command's output as it comes. */
    interface LineWatcher {
        void line(Process process, String line);
    }

    /** Runs a command from the repository root, shows its output as it comes, and returns it. */
    static String runEchoing(List<String> command, Map<String, String> environment, LineWatcher watcher) {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        StringBuilder output = new StringBuilder();
        try {
            Process process = builder.start();
            process.getOutputStream().close();
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    System.out.println(line);
                    output.append(line).append('\n');
                    watcher.line(process, line);
                }
            }
            int status = process.waitFor();
            if (status != 0) {
                throw new IllegalStateException(command.getFirst() + " failed (exit " + status + "; its output is above)");
            }
            return output.toString();
        } catch (IOException e) {
            throw new IllegalStateException("could not run " + command.getFirst() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }

    private Measurements() {
    }
}
