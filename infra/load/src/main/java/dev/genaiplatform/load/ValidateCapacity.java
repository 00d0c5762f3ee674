package dev.genaiplatform.load;

import dev.genaiplatform.load.CapacityValidation.Judgement;
import dev.genaiplatform.load.CapacityValidation.Report;
import dev.genaiplatform.load.CapacityValidation.Step;
import dev.genaiplatform.load.MeasuredInputs.Calibration;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Validates the capacity model against the load kit on this machine, with one command
 * ({@code infra/load/validate-capacity.sh}, which runs this file with the JDK's source launcher, no build):
 * <ol>
 *   <li>measures the model's inputs with the sweep's own client and requests ({@link Measurements}): the machine's idle
 *       background, a probe of sequential requests (the CPU on a request's path), and two calibration load runs (the
 *       machine's CPU per request, the load generator's included, and the latency at rest),</li>
 *   <li>predicts the saturation point with {@link CapacityCalculator} and chooses the sweep's rates around it,</li>
 *   <li>runs the open-model sweep with {@code run.sh} (cache bypassed, Poisson arrivals), rate after rate, until the knee,</li>
 *   <li>compares ({@link CapacityValidation}) and writes the summary to {@code infra/load/runs/<date>-capacity-validation.txt}.</li>
 * </ol>
 * Exit status: 0 validated, 3 measured but not validated, 2 bad options, 1 a platform or a run that failed. The
 * summary is written only when the whole sweep ran: an interrupted or failed run leaves no file. {@code --dry-run}
 * prints the plan and its time without sending a request.
 */
public final class ValidateCapacity {

    static final String USAGE = """
            usage: infra/load/validate-capacity.sh [--dry-run] [--target http://localhost:8080] [--api-key demo-local-key]
                   [--platform-pid PID (the launcher: its processes' CPU is shown apart)]
                   [--rates R1,R2,... (default: 20 % to 120 % of the predicted saturation)] [--duration 45]
                   [--idle 10] [--probe 300] [--probe-pause-ms 100] [--calibration-rate 20] [--calibration-duration 30]
                   [--machine-cores N (this machine's)] [--knee-factor 10 (a mean above 10 × at rest is past the knee)]
                   [--output infra/load/runs/<date>-capacity-validation.txt] [--note TEXT (a line in the summary)]""";

    static final String DEMO_KEY = "demo-local-key";

    /**
     * What a request's prompt and answer are in the model (only its model-server terms use them); the answer's length is
     * also what the probe, the calibration and the sweep ask for, so the CPU measured is the CPU the sweep spends.
     */
    private static final String PROMPT_TOKENS = "800";
    private static final String ANSWER_TOKENS = "64";

    /** The probe's request: one of the kit's questions, with the sweep's answer length. */
    static final String PROBE_BODY = "{\"model\":\"sim-small\",\"stream\":false,\"max_tokens\":" + ANSWER_TOKENS
            + ",\"messages\":[{\"role\":\"user\",\"content\":\"How does retrieval rank passages?\"}]}";

    /** Probe requests sent before counting: the connection, and this program's HTTP client compiled. */
    static final int PROBE_WARM_UP = 50;

    /** What a load run spends besides its steady part: Maven's start, Gatling's, the last answers. */
    private static final int SECONDS_PER_RUN_BESIDES_LOAD = 20;

    /** The second calibration rate as a share of the saturation the first one suggests: well below the knee. */
    static final double SECOND_CALIBRATION_SHARE = 0.6;

    /**
     * The command's options.
     *
     * @param rates empty: chosen around the predicted saturation
     */
    record Options(URI target, String apiKey, OptionalLong platformPid, List<Double> rates, int durationSeconds,
                   int idleSeconds, int probeRequests, int probePauseMs, double calibrationRate,
                   int calibrationSeconds, int machineCores, double kneeFactor, Path output, String note,
                   boolean dryRun) {

        static Options parse(String[] args, int machineCores, Path runsDirectory, LocalDate today) {
            List<String> pairs = new ArrayList<>(List.of(args));
            boolean dryRun = pairs.remove("--dry-run");
            Map<String, String> given = new LinkedHashMap<>();
            for (int i = 0; i < pairs.size(); i++) {
                require(pairs.get(i).startsWith("--") && i + 1 < pairs.size(), "expected '--name value', got '" + pairs.get(i) + "'");
                require(given.put(pairs.get(i).substring(2), pairs.get(++i)) == null, "'" + pairs.get(i - 1) + "' given twice");
            }
            List<String> unknown = new ArrayList<>(given.keySet());
            unknown.removeAll(List.of("target", "api-key", "platform-pid", "rates", "duration", "idle", "probe",
                    "probe-pause-ms", "calibration-rate", "calibration-duration", "machine-cores", "knee-factor", "output",
                    "note"));
            require(unknown.isEmpty(), "unknown option(s) " + unknown);

            URI target = url(given.getOrDefault("target", "http://localhost:8080"), "--target");
            String apiKey = given.getOrDefault("api-key", DEMO_KEY).strip();
            require(!apiKey.isEmpty(), "--api-key must not be blank");
            OptionalLong pid = OptionalLong.empty();
            if (given.containsKey("platform-pid")) {
                long value = whole(given.get("platform-pid"), "--platform-pid", 1, Integer.MAX_VALUE);
                require(ProcessHandle.of(value).isPresent(), "--platform-pid " + value + ": no such process");
                pid = OptionalLong.of(value);
            }
            List<Double> rates = given.containsKey("rates") ? CapacityValidation.parseRates(given.get("rates")) : List.of();
            double kneeFactor = number(given.getOrDefault("knee-factor", "10"), "--knee-factor");
            require(kneeFactor > 1, "--knee-factor must be above 1: the knee's mean is a multiple of the at-rest latency");
            double calibrationRate = number(given.getOrDefault("calibration-rate", "20"), "--calibration-rate");
            require(calibrationRate > 0 && calibrationRate * 2 <= LoadParameters.MAX_OPEN_RATE,
                    "--calibration-rate must be above 0 and at most half the load kit's bound");
            Path output;
            if (given.containsKey("output")) {
                output = Path.of(given.get("output"));
                require(!Files.exists(output), "--output " + output + " exists: choose another file");
            } else {
                output = freeName(runsDirectory, today + "-capacity-validation");
            }
            return new Options(target, apiKey, pid, rates,
                    (int) whole(given.getOrDefault("duration", "45"), "--duration", 10, 3600),
                    (int) whole(given.getOrDefault("idle", "10"), "--idle", 5, 600),
                    (int) whole(given.getOrDefault("probe", "300"), "--probe", 50, 10_000),
                    (int) whole(given.getOrDefault("probe-pause-ms", "100"), "--probe-pause-ms", 20, 10_000),
                    calibrationRate,
                    (int) whole(given.getOrDefault("calibration-duration", "30"), "--calibration-duration", 10, 3600),
                    (int) whole(given.getOrDefault("machine-cores", String.valueOf(machineCores)), "--machine-cores", 1, 4096),
                    kneeFactor, output, given.getOrDefault("note", "").strip(), dryRun);
        }

        /** The day's file, or -2, -3 ... when an earlier run of the day wrote it: a run never overwrites another. */
        private static Path freeName(Path directory, String stem) {
            Path candidate = directory.resolve(stem + ".txt");
            for (int n = 2; Files.exists(candidate); n++) {
                candidate = directory.resolve(stem + "-" + n + ".txt");
            }
            return candidate;
        }

        Optional<ProcessHandle> platform() {
            return platformPid().isPresent() ? ProcessHandle.of(platformPid().getAsLong()) : Optional.empty();
        }
    }

    public static void main(String[] args) {
        if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
            System.out.println(USAGE);
            return;
        }
        Options options;
        try {
            options = Options.parse(args, Runtime.getRuntime().availableProcessors(), Path.of("infra/load/runs"),
                    LocalDate.now(ZoneOffset.UTC));
        } catch (IllegalArgumentException e) {
            System.err.println("validate-capacity: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        if (options.dryRun()) {
            System.out.print(plan(options));
            System.out.println(gatewayStatus(options));
            return;
        }
        try {
            System.exit(run(options, args) ? 0 : 3);
        } catch (IllegalArgumentException e) {
            System.err.println("validate-capacity: " + e.getMessage());
            System.exit(2);
        } catch (IllegalStateException e) {
            System.err.println("validate-capacity: " + e.getMessage() + " (nothing written)");
            System.exit(1);
        }
    }

    /** What the command will do and how long it takes at most, without sending anything. */
    static String plan(Options options) {
        int probeSeconds = (PROBE_WARM_UP + options.probeRequests()) * (options.probePauseMs() + 25) / 1000;
        int calibrationSeconds = 2 * (options.calibrationSeconds() + SECONDS_PER_RUN_BESIDES_LOAD);
        int sweepRates = options.rates().isEmpty() ? CapacityValidation.SWEEP_FRACTIONS.size() : options.rates().size();
        int sweepSeconds = sweepRates * (options.durationSeconds() + SECONDS_PER_RUN_BESIDES_LOAD);
        int total = options.idleSeconds() + probeSeconds + calibrationSeconds + sweepSeconds;
        return String.format(Locale.ROOT, """
                        Dry run: nothing is sent to %s.
                        1. idle: %d s, the machine's busy cores with nothing asked
                        2. probe: %d + %d requests one at a time, %d ms apart (about %d s): the CPU on a request's path
                        3. calibration: %s, then at %.0f %% of the saturation it suggests (about %d s for both)
                        4. sweep: %s, %d s each, rising, stopping at the knee (at most about %d s)
                        At most about %d min %02d s in all; the summary goes to %s
                        """, options.target(), options.idleSeconds(), PROBE_WARM_UP, options.probeRequests(),
                options.probePauseMs(), probeSeconds,
                String.join(" ", loadCommand(options, shownKey(options.apiKey()), CapacityValidation.rate(options.calibrationRate()),
                        options.calibrationSeconds())), SECOND_CALIBRATION_SHARE * 100, calibrationSeconds,
                options.rates().isEmpty() ? "20 % to 120 % of the predicted saturation (" + sweepRates + " rates)"
                        : options.rates().stream().map(CapacityValidation::rate).toList() + " requests/s",
                options.durationSeconds(), sweepSeconds, total / 60, total % 60, options.output());
    }

    private static String gatewayStatus(Options options) {
        try {
            requireGatewayAnswers(options);
            return "The gateway at " + options.target() + " answers.";
        } catch (IllegalStateException e) {
            return "Not ready: " + e.getMessage();
        }
    }

    private static boolean run(Options options, String[] args) {
        ZonedDateTime started = ZonedDateTime.now(ZoneOffset.UTC);
        String loadAtStart = loadAverage();
        requireGatewayAnswers(options);
        System.out.print(plan(options).replaceFirst("Dry run: nothing is sent to [^\n]*\n", ""));

        MeasuredInputs inputs = measureInputs(options);
        List<String> calculator = calculatorArgs(inputs, options.machineCores());
        double saturation = CapacityCalculator.plan(predictionAt(calculator, 1)).oneMachineSaturation();
        List<Double> rates = options.rates().isEmpty() ? CapacityValidation.ratesAround(saturation) : options.rates();
        double kneeBoundMs = options.kneeFactor() * inputs.atRestMs(options.machineCores());
        System.out.printf(Locale.ROOT, "%n== predicted saturation on %d cores: %s requests/s; the sweep: %s requests/s, "
                        + "%d s each%n", options.machineCores(), CapacityValidation.rate(saturation),
                String.join(", ", rates.stream().map(CapacityValidation::rate).toList()), options.durationSeconds());

        List<Step> steps = sweep(options, rates, calculator, kneeBoundMs);
        Judgement judgement = CapacityValidation.judge(steps, saturation, kneeBoundMs);

        List<String> shownCalculator = new ArrayList<>(List.of("java", "infra/load/src/main/java/dev/genaiplatform/load/CapacityCalculator.java"));
        shownCalculator.addAll(calculator);
        String shownKey = shownKey(options.apiKey());
        Report report = new Report(header(options, args, started, loadAtStart), inputs,
                String.join(" ", loadCommand(options, shownKey, "N", options.calibrationSeconds())),
                options.machineCores(), saturation, String.join(" ", shownCalculator),
                String.join(" ", loadCommand(options, shownKey, "N", options.durationSeconds()))
                        + " (open model, chat, rising rates)",
                steps, rates.subList(steps.size(), rates.size()), kneeBoundMs, judgement);
        String summary = CapacityValidation.render(report);
        System.out.println();
        System.out.print(summary);
        write(options.output(), summary);
        System.out.println("\nWritten to " + options.output());
        return judgement.validated();
    }

    /** Idle, probe, then the two calibration runs, in that order (the probe's pauses need the machine otherwise idle). */
    private static MeasuredInputs measureInputs(Options options) {
        System.out.printf(Locale.ROOT, "%n== 1/4 idle for %d s%n", options.idleSeconds());
        double idleCores = Measurements.idle(options.idleSeconds(), options.platform()).machineCores();
        System.out.printf(Locale.ROOT, "== the machine busy %.2f cores with nothing asked%n", idleCores);
        requireQuietMachine(idleCores, options.machineCores());

        System.out.printf(Locale.ROOT, "%n== 2/4 probe: %d requests one at a time%n", options.probeRequests());
        MeasuredInputs.Probe probe = Measurements.probe(options.target(), options.apiKey(), PROBE_BODY, PROBE_WARM_UP,
                options.probeRequests(), options.probePauseMs(), options.platform());
        System.out.printf(Locale.ROOT, "== mean %.1f ms; CPU on a request's path %.1f ms%n", probe.meanMs(),
                probe.criticalCpuMs(idleCores));

        Calibration low = calibration(options, options.calibrationRate(), "3/4");
        double high = secondCalibrationRate(low, idleCores, options.machineCores());
        MeasuredInputs inputs = new MeasuredInputs(idleCores, probe, low, calibration(options, high, "3/4"));
        inputs.requireMeasurable(options.machineCores());
        return inputs;
    }

    /** Half the cores or more busy with nothing asked: other work takes the machine, the inputs would measure it. */
    static void requireQuietMachine(double idleCores, int machineCores) {
        if (idleCores >= 0.5 * machineCores) {
            throw new IllegalStateException(String.format(Locale.ROOT, "the machine is %.2f of its %d cores busy with "
                    + "nothing asked of the platform: other work takes them, so the inputs would measure it; run when it "
                    + "is quiet", idleCores, machineCores));
        }
    }

    /**
     * 60 % of the saturation the first run suggests (its busy cores above the idle background, per request, against the
     * cores left), at least twice the first rate, so the slope between the two is not lost in the noise, and at most ten
     * times it: a first run whose CPU is lost in the background's noise must not send a flood.
     */
    static double secondCalibrationRate(Calibration low, double idleCores, int machineCores) {
        double perRequestCores = Math.max(low.cpu().machineCores() - idleCores, 1e-3) / low.arrivals();
        double suggested = Math.max(machineCores - idleCores, 0) / perRequestCores;
        double rate = Math.min(10 * low.rate(), Math.max(2 * low.rate(), SECOND_CALIBRATION_SHARE * suggested));
        double rounded = rate >= 20 ? Math.round(rate) : Math.round(rate * 10) / 10.0;
        return Math.min(rounded, LoadParameters.MAX_OPEN_RATE);
    }

    private static Calibration calibration(Options options, double rate, String stage) {
        String shown = CapacityValidation.rate(rate);
        System.out.printf(Locale.ROOT, "%n== %s calibration: %s requests/s for %d s%n", stage, shown, options.calibrationSeconds());
        Measurements.LoadRun run = Measurements.loadRun(loadCommand(options, options.apiKey(), shown,
                options.calibrationSeconds()), options.calibrationSeconds(), options.platform());
        System.out.printf(Locale.ROOT, "== %s requests/s: mean %.1f ms, the machine busy %.2f cores%n", shown,
                run.summary().meanMs(), run.cpu().machineCores());
        return new Calibration(rate, options.calibrationSeconds(), run.summary(), run.cpu());
    }

    /** The load runs, rising, up to and including the first past the knee (the rates beyond would only queue). */
    private static List<Step> sweep(Options options, List<Double> rates, List<String> calculator, double kneeBoundMs) {
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < rates.size(); i++) {
            String rate = CapacityValidation.rate(rates.get(i));
            System.out.printf(Locale.ROOT, "%n== 4/4 rate %d of %d: %s requests/s for %d s%n", i + 1, rates.size(), rate,
                    options.durationSeconds());
            Measurements.LoadRun run = Measurements.loadRun(loadCommand(options, options.apiKey(), rate,
                    options.durationSeconds()), options.durationSeconds(), options.platform());
            GatlingSummary measured = run.summary();
            var plan = CapacityCalculator.plan(predictionAt(calculator, rates.get(i)));
            steps.add(new Step(rates.get(i), measured, plan.oneMachineKeepsUp() ? plan.oneMachineLatencyMs() : Double.NaN,
                    run.cpu(), plan.oneMachineUtilisation() * options.machineCores()));
            System.out.printf(Locale.ROOT, "== %s requests/s: %,d requests, %,d failed, mean %,.0f ms (predicted %s), p50 %,.0f, "
                            + "p99 %,.0f; the machine busy %.2f cores (predicted %.2f)%n",
                    rate, measured.requests(), measured.failed(), measured.meanMs(),
                    plan.oneMachineKeepsUp() ? String.format(Locale.ROOT, "%,.0f ms", plan.oneMachineLatencyMs()) : "saturated",
                    measured.p50Ms(), measured.p99Ms(), run.cpu().machineCores(), plan.oneMachineUtilisation() * options.machineCores());
            if (CapacityValidation.isKnee(measured, kneeBoundMs)) {
                System.out.println("== past the knee: the sweep stops here");
                break;
            }
        }
        return steps;
    }

    /** When, how, on what: the lines a later reader needs to judge the run (a noisy machine shows in its load average). */
    private static List<String> header(Options options, String[] args, ZonedDateTime started, String loadAtStart) {
        List<String> header = new ArrayList<>();
        header.add("Capacity validation " + started.format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")) + " to "
                + ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("HH:mm"))
                + " UTC: infra/load/validate-capacity.sh" + shownArgs(args));
        if (!options.note().isEmpty()) {
            header.add(options.note());
        }
        header.add(String.format(Locale.ROOT, "Commit %s; target %s; %d cores in the model, %d on this machine; load average "
                        + "%s at the start, %s at the end", commit(), options.target(), options.machineCores(),
                Runtime.getRuntime().availableProcessors(), loadAtStart, loadAverage()));
        return header;
    }

    /** The calculator's options with the measured inputs, for any rate ({@code --rps N}). */
    static List<String> calculatorArgs(MeasuredInputs inputs, int machineCores) {
        return List.of("--rps", "N", "--prompt-tokens", PROMPT_TOKENS, "--answer-tokens", ANSWER_TOKENS,
                "--machine-cores", String.valueOf(machineCores),
                "--machine-cpu-ms", String.format(Locale.ROOT, "%.2f", inputs.cpuMsPerRequest()),
                "--background-cores", String.format(Locale.ROOT, "%.3f", inputs.backgroundCores()),
                "--critical-cpu-ms", String.format(Locale.ROOT, "%.2f", inputs.criticalCpuMs()),
                "--at-rest-latency-ms", String.format(Locale.ROOT, "%.2f", inputs.atRestMs(machineCores)));
    }

    /** The workload at one rate, parsed from the same options a reader can run (so the file's command reproduces it). */
    static CapacityCalculator.Workload predictionAt(List<String> calculatorArgs, double rate) {
        List<String> args = new ArrayList<>(calculatorArgs);
        args.set(args.indexOf("--rps") + 1, String.valueOf(rate));
        return CapacityCalculator.parse(args.toArray(String[]::new));
    }

    /** The load kit at one rate: cache bypassed (every request the whole pipeline), Poisson arrivals, the model's answer length. */
    static List<String> loadCommand(Options options, String apiKey, String rate, int durationSeconds) {
        return List.of("infra/load/run.sh", "-Dtarget=" + options.target(), "-DapiKeys=" + apiKey, "-Dcache=bypass",
                "-Darrivals=poisson", "-Drate=" + rate, "-Dduration=" + durationSeconds, "-DmaxTokens=" + ANSWER_TOKENS,
                "-DmaxErrorPercent=100");
    }

    /** A key other than the demo tenant's is a credential: the summary file never holds it. */
    static String shownKey(String apiKey) {
        return apiKey.equals(DEMO_KEY) ? apiKey : "<your key>";
    }

    /** The command's arguments as a shell would take them back (quoted where needed), the key hidden. */
    static String shownArgs(String[] args) {
        StringBuilder shown = new StringBuilder();
        for (int i = 0; i < args.length; i++) {
            boolean key = i > 0 && args[i - 1].equals("--api-key");
            String arg = key ? shownKey(args[i]) : args[i];
            shown.append(' ').append(arg.matches("[\\w./:,=-]+") ? arg : "'" + arg.replace("'", "'\\''") + "'");
        }
        return shown.toString();
    }

    private static void requireGatewayAnswers(Options options) {
        URI models = URI.create(options.target() + "/v1/models");
        try (HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
            HttpResponse<Void> response = client.send(HttpRequest.newBuilder(models).timeout(Duration.ofSeconds(5))
                    .header("Authorization", "Bearer " + options.apiKey()).build(), HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("the gateway at " + options.target() + " answered " + response.statusCode()
                        + " to GET /v1/models: is --api-key a key of a tenant there?");
            }
        } catch (IOException e) {
            throw new IllegalStateException("no gateway answers at " + options.target() + " (" + e.getClass().getSimpleName()
                    + "): start ./platform.sh as infra/load/cpu-per-request.sh's header says, or pass --target");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }

    /** Written whole or not at all: to a file beside it, then moved into place. */
    private static void write(Path output, String summary) {
        try {
            Path directory = output.toAbsolutePath().getParent();
            Files.createDirectories(directory);
            Path partial = Files.createTempFile(directory, output.getFileName().toString(), ".partial");
            Files.writeString(partial, summary);
            Files.move(partial, output, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new IllegalStateException("could not write " + output + ": " + e.getMessage());
        }
    }

    private static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String commit() {
        try {
            Process git = new ProcessBuilder("git", "describe", "--always", "--dirty").redirectErrorStream(true).start();
            String head = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return git.waitFor() == 0 ? head : "unknown";
        } catch (IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    private static URI url(String text, String name) {
        try {
            URI uri = URI.create(text.strip().replaceAll("/+$", ""));
            require(uri.getScheme() != null && uri.getScheme().matches("https?") && uri.getHost() != null,
                    name + " must be an http(s) URL, not '" + text + "'");
            return uri;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + " must be an http(s) URL, not '" + text + "'");
        }
    }

    private static long whole(String text, String name, long min, long max) {
        long value;
        try {
            value = Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, not '" + text + "'");
        }
        require(value >= min && value <= max, name + " must be from " + min + " to " + max + " (got " + value + ")");
        return value;
    }

    private static double number(String text, String name) {
        try {
            return Double.parseDouble(text.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number, not '" + text + "'");
        }
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    private ValidateCapacity() {
    }
}
