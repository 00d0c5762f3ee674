package dev.genaiplatform.load;

import dev.genaiplatform.load.CapacityValidation.Judgement;
import dev.genaiplatform.load.CapacityValidation.Report;
import dev.genaiplatform.load.CapacityValidation.Step;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
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
import java.util.OptionalLong;

/**
 * Validates the capacity model against the load kit on this machine, with one command
 * ({@code infra/load/validate-capacity.sh}, which runs this file with the JDK's source launcher, no build):
 * <ol>
 *   <li>measures the model's inputs with {@code cpu-per-request.sh} (CPU per request per process at load, then the
 *       at-rest latency of sequential requests),</li>
 *   <li>predicts the saturation point with {@link CapacityCalculator} and chooses the sweep's rates around it,</li>
 *   <li>runs the open-model sweep with {@code run.sh} (cache bypassed), rate after rate, until the knee,</li>
 *   <li>compares ({@link CapacityValidation}) and writes the summary to {@code infra/load/runs/<date>-capacity-validation.txt}.</li>
 * </ol>
 * Exit status: 0 validated, 3 measured but not validated, 2 bad options, 1 a platform or a run that failed. The
 * summary is written only when the whole sweep ran: an interrupted or failed run leaves no file.
 */
public final class ValidateCapacity {

    static final String USAGE = """
            usage: infra/load/validate-capacity.sh [--target http://localhost:8080] [--simulator URL (the target's host, port 8090)]
                   [--api-key demo-local-key] [--platform-pid PID (count only this launcher's processes)]
                   [--rates R1,R2,... (default: 20 % to 120 % of the predicted saturation)] [--duration 45]
                   [--warm 20] [--measure 40] [--clients 8] [--sequential 50] [--machine-cores N (this machine's)]
                   [--knee-factor 10 (a mean above 10 × the at-rest latency is past the knee)]
                   [--output infra/load/runs/<date>-capacity-validation.txt] [--note TEXT (a line in the summary)]""";

    static final String DEMO_KEY = "demo-local-key";

    /**
     * What a request's prompt and answer are in the model (only its model-server terms use them); the answer's length is
     * also what both the inputs' requests and the sweep's ask for, so the CPU measured is the CPU the sweep spends.
     */
    private static final String PROMPT_TOKENS = "800";
    private static final String ANSWER_TOKENS = "64";

    /** What a load run spends besides its steady part: Maven's start, Gatling's, the last answers. */
    private static final int SECONDS_PER_RUN_BESIDES_LOAD = 20;

    /**
     * The command's options.
     *
     * @param rates empty: chosen around the predicted saturation
     */
    record Options(URI target, URI simulator, String apiKey, OptionalLong platformPid, List<Double> rates,
                   int durationSeconds, int warmSeconds, int measureSeconds, int clients, int sequential,
                   int machineCores, double kneeFactor, Path output, String note) {

        static Options parse(String[] args, int machineCores, Path runsDirectory, LocalDate today) {
            Map<String, String> given = new LinkedHashMap<>();
            for (int i = 0; i < args.length; i++) {
                require(args[i].startsWith("--") && i + 1 < args.length, "expected '--name value', got '" + args[i] + "'");
                require(given.put(args[i].substring(2), args[++i]) == null, "'" + args[i - 1] + "' given twice");
            }
            List<String> unknown = new ArrayList<>(given.keySet());
            unknown.removeAll(List.of("target", "simulator", "api-key", "platform-pid", "rates", "duration", "warm",
                    "measure", "clients", "sequential", "machine-cores", "knee-factor", "output", "note"));
            require(unknown.isEmpty(), "unknown option(s) " + unknown);

            URI target = url(given.getOrDefault("target", "http://localhost:8080"), "--target");
            URI simulator = given.containsKey("simulator") ? url(given.get("simulator"), "--simulator")
                    : URI.create(target.getScheme() + "://" + target.getHost() + ":8090");
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
            Path output;
            if (given.containsKey("output")) {
                output = Path.of(given.get("output"));
                require(!Files.exists(output), "--output " + output + " exists: choose another file");
            } else {
                output = freeName(runsDirectory, today + "-capacity-validation");
            }
            return new Options(target, simulator, apiKey, pid, rates,
                    (int) whole(given.getOrDefault("duration", "45"), "--duration", 10, 3600),
                    (int) whole(given.getOrDefault("warm", "20"), "--warm", 0, 3600),
                    (int) whole(given.getOrDefault("measure", "40"), "--measure", 10, 3600),
                    (int) whole(given.getOrDefault("clients", "8"), "--clients", 1, 64),
                    (int) whole(given.getOrDefault("sequential", "50"), "--sequential", 10, 10_000),
                    (int) whole(given.getOrDefault("machine-cores", String.valueOf(machineCores)), "--machine-cores", 1, 4096),
                    kneeFactor, output, given.getOrDefault("note", "").strip());
        }

        /** The day's file, or -2, -3 ... when an earlier run of the day wrote it: a run never overwrites another. */
        private static Path freeName(Path directory, String stem) {
            Path candidate = directory.resolve(stem + ".txt");
            for (int n = 2; Files.exists(candidate); n++) {
                candidate = directory.resolve(stem + "-" + n + ".txt");
            }
            return candidate;
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

    private static boolean run(Options options, String[] args) {
        ZonedDateTime started = ZonedDateTime.now(ZoneOffset.UTC);
        String loadAtStart = loadAverage();
        requireGatewayAnswers(options);

        List<String> inputsCommand = List.of("infra/load/cpu-per-request.sh", String.valueOf(options.warmSeconds()),
                String.valueOf(options.measureSeconds()), String.valueOf(options.clients()), String.valueOf(options.sequential()));
        MeasuredInputs inputs = measureInputs(options, inputsCommand);

        List<String> calculator = calculatorArgs(inputs, options.machineCores());
        double saturation = CapacityCalculator.plan(predictionAt(calculator, 1)).oneMachineSaturation();
        List<Double> rates = options.rates().isEmpty() ? CapacityValidation.ratesAround(saturation) : options.rates();
        double kneeBoundMs = options.kneeFactor() * inputs.atRestMeanMs();
        System.out.printf(Locale.ROOT, "%n== 2/3 predicted saturation on %d cores: %s requests/s (%.1f ms CPU per request); "
                        + "the sweep: %s requests/s, %d s each (at most %d min)%n", options.machineCores(),
                CapacityValidation.rate(saturation), inputs.modelledCpuMs(), String.join(", ",
                        rates.stream().map(CapacityValidation::rate).toList()), options.durationSeconds(),
                Math.ceilDiv(rates.size() * (options.durationSeconds() + SECONDS_PER_RUN_BESIDES_LOAD), 60));

        List<Step> steps = sweep(options, rates, calculator, kneeBoundMs);
        Judgement judgement = CapacityValidation.judge(steps, saturation, kneeBoundMs);

        List<String> shownCalculator = new ArrayList<>(List.of("java", "infra/load/src/main/java/dev/genaiplatform/load/CapacityCalculator.java"));
        shownCalculator.addAll(calculator);
        Report report = new Report(header(options, args, started, loadAtStart), inputs, String.join(" ", inputsCommand)
                + " (MAX_TOKENS=" + ANSWER_TOKENS + ", GATEWAY_URL=" + options.target()
                + (options.platformPid().isPresent() ? ", PLATFORM_PID=" + options.platformPid().getAsLong() : "") + ")",
                options.machineCores(), saturation, String.join(" ", shownCalculator),
                String.join(" ", sweepCommand(options, shownKey(options.apiKey()), "N")) + " (open model, chat, rising rates)",
                steps, rates.subList(steps.size(), rates.size()), kneeBoundMs, judgement);
        String summary = CapacityValidation.render(report);
        System.out.println();
        System.out.print(summary);
        write(options.output(), summary);
        System.out.println("\nWritten to " + options.output());
        return judgement.validated();
    }

    private static MeasuredInputs measureInputs(Options options, List<String> command) {
        System.out.printf(Locale.ROOT, "%n== 1/3 the inputs: %s (about %d s)%n", String.join(" ", command),
                options.warmSeconds() + options.measureSeconds() + options.sequential() / 5);
        try {
            return MeasuredInputs.parse(runEchoing(command, inputsEnvironment(options)));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(e.getMessage());
        }
    }

    /** What cpu-per-request.sh is told: where the platform is, and the sweep's request shape (an answer of its length). */
    static Map<String, String> inputsEnvironment(Options options) {
        Map<String, String> environment = new LinkedHashMap<>(Map.of("GATEWAY_URL", options.target().toString(),
                "SIMULATOR_URL", options.simulator().toString(), "API_KEY", options.apiKey(), "MAX_TOKENS", ANSWER_TOKENS));
        options.platformPid().ifPresent(pid -> environment.put("PLATFORM_PID", String.valueOf(pid)));
        return environment;
    }

    /** The load runs, rising, up to and including the first past the knee (the rates beyond would only queue). */
    private static List<Step> sweep(Options options, List<Double> rates, List<String> calculator, double kneeBoundMs) {
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < rates.size(); i++) {
            String rate = CapacityValidation.rate(rates.get(i));
            System.out.printf(Locale.ROOT, "%n== 3/3 rate %d of %d: %s requests/s for %d s%n", i + 1, rates.size(), rate,
                    options.durationSeconds());
            GatlingSummary measured;
            try {
                measured = GatlingSummary.parse(runEchoing(sweepCommand(options, options.apiKey(), rate), Map.of()));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("the load run at " + rate + " requests/s: " + e.getMessage());
            }
            var plan = CapacityCalculator.plan(predictionAt(calculator, rates.get(i)));
            steps.add(new Step(rates.get(i), measured, plan.oneMachineKeepsUp() ? plan.oneMachineLatencyMs() : Double.NaN));
            System.out.printf(Locale.ROOT, "== %s requests/s: %,d requests, %,d failed, mean %,.0f ms (predicted %s), p50 %,.0f, p99 %,.0f%n",
                    rate, measured.requests(), measured.failed(), measured.meanMs(),
                    plan.oneMachineKeepsUp() ? String.format(Locale.ROOT, "%,.0f ms", plan.oneMachineLatencyMs()) : "saturated",
                    measured.p50Ms(), measured.p99Ms());
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
                "--cpu-ms", CapacityValidation.calculatorCpuOption(inputs.calculatorCpuMs()),
                "--at-rest-latency-ms", String.format(Locale.ROOT, "%.1f", inputs.atRestMeanMs()));
    }

    /** The workload at one rate, parsed from the same options a reader can run (so the file's command reproduces it). */
    static CapacityCalculator.Workload predictionAt(List<String> calculatorArgs, double rate) {
        List<String> args = new ArrayList<>(calculatorArgs);
        args.set(args.indexOf("--rps") + 1, String.valueOf(rate));
        return CapacityCalculator.parse(args.toArray(String[]::new));
    }

    static List<String> sweepCommand(Options options, String apiKey, String rate) {
        return List.of("infra/load/run.sh", "-Dtarget=" + options.target(), "-DapiKeys=" + apiKey, "-Dcache=bypass",
                "-Drate=" + rate, "-Dduration=" + options.durationSeconds(), "-DmaxTokens=" + ANSWER_TOKENS,
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

    /** Runs a command from the repository root, shows its output as it comes, and returns it. */
    private static String runEchoing(List<String> command, Map<String, String> environment) {
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
