package dev.genaiplatform.evaluation.cli;

import dev.genaiplatform.evaluation.gate.Baseline;
import dev.genaiplatform.evaluation.gate.GateReport;
import dev.genaiplatform.evaluation.gate.RegressionGate;
import dev.genaiplatform.evaluation.golden.GoldenSet;
import dev.genaiplatform.evaluation.golden.GoldenSetException;
import dev.genaiplatform.evaluation.golden.GoldenSets;
import dev.genaiplatform.evaluation.judge.GroundednessJudge;
import dev.genaiplatform.evaluation.redteam.DefenceCheck;
import dev.genaiplatform.evaluation.redteam.OnlineVerdicts;
import dev.genaiplatform.evaluation.redteam.RedTeamRun;
import dev.genaiplatform.evaluation.redteam.RedTeamSuite;
import dev.genaiplatform.evaluation.redteam.Scorecard;
import dev.genaiplatform.evaluation.runs.CaseResult;
import dev.genaiplatform.evaluation.runs.CaseScorer;
import dev.genaiplatform.evaluation.runs.ChatClient;
import dev.genaiplatform.evaluation.runs.GatewayChatClient;
import dev.genaiplatform.evaluation.runs.OfflineRun;
import dev.genaiplatform.evaluation.runs.Prices;
import dev.genaiplatform.evaluation.runs.RecordedAnswers;
import dev.genaiplatform.evaluation.runs.RunSummary;
import dev.genaiplatform.evaluation.scoring.PassageSource;
import dev.genaiplatform.evaluation.scoring.SavedPassages;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The evaluation command line: run a golden set through the gateway, print the metrics with intervals, write
 * a JSON report, and optionally gate against a baseline (exit 1 when quality dropped significantly) or write a
 * new one. No Spring context: it is a client of the platform, nothing more.
 *
 * <pre>
 * ./mvnw -q -pl evaluation exec:java -Dexec.args="golden --set docs-qa --baseline evaluation/baselines/docs-qa.sim-small.json"
 * </pre>
 * Exit codes: 0 passed, 1 the gate failed, 2 bad usage or a set that does not parse.
 */
public final class EvaluationCommand {

    static final int PASSED = 0;
    static final int GATE_FAILED = 1;
    static final int USAGE = 2;

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration CLOCK_SKEW = Duration.ofSeconds(30);
    private static final String USAGE_TEXT = """
            usage: golden (--set NAME | --file PATH) [options]
                   redteam [--model NAME] [--gateway URL] [--api-key KEY] [--record PATH] [--out PATH]
              --model NAME            model to ask (default sim-small)
              --arm ARM               force an experiment arm (header X-Platform-Experiment-Arm)
              --repetitions N         times each case is asked (default 1)
              --limit N               only the first N cases
              --gateway URL           default $PLATFORM_GATEWAY_URL or http://127.0.0.1:8080
              --api-key KEY           default $PLATFORM_EVALUATION_API_KEY or demo-local-key
              --concurrency N         calls in flight (default 4)
              --baseline PATH         compare with this baseline; exit 1 when quality drops significantly
              --margin X              tolerated drop of mean quality (default 0.05)
              --write-baseline PATH   write this run as a baseline
              --note TEXT             what produced the run (prompt version, commit), stored in a baseline
              --record PATH           save every request and response as a replay fixture, with the cited passages
              --passages PATH         score citations against the passages saved in this fixture (written by
                                      --record), not against the docs on the classpath
              --judge-url URL         also score groundedness with an LLM judge at this OpenAI-compatible base URL
              --judge-model NAME      the judge model (with --judge-url)
              --judge-key-env VAR     environment variable holding the judge's API key (default OPENAI_API_KEY)
              --out PATH              the JSON report (default evaluation/target/evaluation-reports/<set>.json)
              --fail-on-finding true  redteam: exit 1 when any probe's defence failed
              --online-wait-seconds N redteam: wait N s (default 5), then show the guardrails' verdicts of the run's
                                      period per category next to the scorecard; -1 skips
            sets: %s
            """;

    private EvaluationCommand() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        Map<String, String> options;
        try {
            options = options(args);
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            err.printf(USAGE_TEXT, GoldenSets.committed().names());
            return USAGE;
        }
        try {
            return "redteam".equals(args[0]) ? redteam(options, out, err) : golden(options, out, err);
        } catch (GoldenSetException | IllegalArgumentException e) {
            err.println("evaluation: " + e.getMessage());
            return USAGE;
        } catch (IOException e) {
            err.println("evaluation: " + e.getMessage());
            return USAGE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return USAGE;
        }
    }

    private static int golden(Map<String, String> options, PrintStream out, PrintStream err)
            throws IOException, InterruptedException {
        GoldenSets catalog = GoldenSets.committed();
        GoldenSet set;
        if (options.containsKey("file")) {
            Path file = Path.of(options.get("file"));
            set = catalog.parse(Files.readAllBytes(file), file.toString());
        } else if (options.containsKey("set")) {
            set = catalog.named(options.get("set"));
        } else {
            throw new IllegalArgumentException("name a set (--set) or a file (--file); sets: " + catalog.names());
        }
        set = set.limitedTo(options.containsKey("limit") ? Integer.parseInt(options.get("limit")) : null);
        String model = options.getOrDefault("model", "sim-small");
        var runOptions = new OfflineRun.RunOptions(model, options.get("arm"),
                Integer.parseInt(options.getOrDefault("repetitions", "1")));
        GatewayChatClient gateway = gateway(options);
        List<ObjectNode> recorded = new ArrayList<>();
        ChatClient client = options.containsKey("record") ? RecordedAnswers.recording(gateway, recorded) : gateway;
        GroundednessJudge judge = options.containsKey("judge-url") ? new GroundednessJudge(
                URI.create(options.get("judge-url")), env(options.getOrDefault("judge-key-env", "OPENAI_API_KEY"), ""),
                options.getOrDefault("judge-model", "gpt-4o-mini")) : null;
        OfflineRun run = new OfflineRun(client, new CaseScorer(passages(options), Prices.simulatorDefaults(), judge),
                Integer.parseInt(options.getOrDefault("concurrency", "4")));

        ProgressBar progress = new ProgressBar(err, set.name());
        List<CaseResult> results = run.run(set, runOptions, (result, done, total) ->
                progress.update(done, total, "%s q=%.2f".formatted(result.caseId(), result.quality())));
        int resamples = 2000;
        RunSummary summary = RunSummary.of(results, resamples);
        out.print(TextReport.summary(set.name(), model, summary));
        out.print(TextReport.worstCases(results, 5));

        Map<String, Object> report = new LinkedHashMap<>();
        report.put("set", set.name());
        report.put("setVersion", set.version());
        report.put("model", model);
        report.put("experimentArm", runOptions.experimentArm());
        report.put("repetitions", runOptions.repetitions());
        report.put("summary", summary);
        report.put("results", results);

        int exit = PASSED;
        if (options.containsKey("baseline")) {
            Baseline baseline = JSON.readValue(Path.of(options.get("baseline")).toFile(), Baseline.class);
            if (baseline.setVersion() != set.version() || !baseline.set().equals(set.name())) {
                throw new IllegalArgumentException("the baseline is for " + baseline.set() + " v" + baseline.setVersion()
                        + ", the run is " + set.name() + " v" + set.version() + ": write a new baseline");
            }
            GateReport gate = RegressionGate.compare(baseline, results,
                    Double.parseDouble(options.getOrDefault("margin", "0.05")), resamples);
            out.print(TextReport.gate(gate));
            report.put("gate", gate);
            exit = gate.passed() ? PASSED : GATE_FAILED;
        }
        if (options.containsKey("write-baseline")) {
            Path path = Path.of(options.get("write-baseline"));
            Files.createDirectories(path.toAbsolutePath().getParent());
            JSON.writerWithDefaultPrettyPrinter().writeValue(path.toFile(), Baseline.of(set.name(), set.version(),
                    model, options.getOrDefault("note", ""), results, summary));
            out.println("Baseline written to " + path);
        }
        if (options.containsKey("record")) {
            RecordedAnswers.write(Path.of(options.get("record")), "Recorded by the evaluation command: set "
                    + set.name() + " v" + set.version() + ", model " + model + ". " + options.getOrDefault("note", ""),
                    recorded, new PassageSource());
            out.println("Fixture written to " + options.get("record"));
        }
        Path reportPath = Path.of(options.getOrDefault("out", "evaluation/target/evaluation-reports/" + set.name() + ".json"));
        Files.createDirectories(reportPath.toAbsolutePath().getParent());
        JSON.writerWithDefaultPrettyPrinter().writeValue(reportPath.toFile(), report);
        out.println("Report written to " + reportPath);
        return exit;
    }

    /** Every probe through the gateway; prints the scorecard. Exit 1 with {@code --fail-on-finding true}. */
    private static int redteam(Map<String, String> options, PrintStream out, PrintStream err) throws IOException {
        RedTeamSuite suite = RedTeamSuite.owasp2025();
        String model = options.getOrDefault("model", "sim-small");
        GatewayChatClient gateway = gateway(options);
        List<ObjectNode> recorded = new ArrayList<>();
        ChatClient client = options.containsKey("record") ? RecordedAnswers.recording(gateway, recorded) : gateway;
        ProgressBar progress = new ProgressBar(err, "red team");
        Instant started = Instant.now();
        Scorecard scorecard = new RedTeamRun(client, new DefenceCheck(passages(options))).run(suite, model,
                (probe, defended, done, total) -> progress.update(done, total,
                        probe.id() + (defended ? " defended" : " FINDING")));
        long onlineWait = Long.parseLong(options.getOrDefault("online-wait-seconds", "5"));
        if (onlineWait >= 0) {
            // Verdict events reach evaluation through Kafka after the answers; give them a moment to be stored.
            // The period opens a little early: guardrails stamps verdicts with its own host's clock.
            sleep(Duration.ofSeconds(onlineWait));
            scorecard = scorecard.withOnline(new OnlineVerdicts(gatewayUrl(options), apiKey(options))
                    .between(started.minus(CLOCK_SKEW), Instant.now()));
        }
        out.print(TextReport.scorecard(scorecard));
        if (options.containsKey("record")) {
            RecordedAnswers.write(Path.of(options.get("record")), "Recorded by the evaluation command: red-team suite "
                    + suite.name() + " v" + suite.version() + ", model " + model + ". " + options.getOrDefault("note", ""),
                    recorded, new PassageSource());
        }
        Path reportPath = Path.of(options.getOrDefault("out", "evaluation/target/evaluation-reports/redteam.json"));
        Files.createDirectories(reportPath.toAbsolutePath().getParent());
        JSON.writerWithDefaultPrettyPrinter().writeValue(reportPath.toFile(), scorecard);
        out.println("Report written to " + reportPath);
        boolean findings = scorecard.probes().stream().anyMatch(p -> !p.defended());
        return findings && Boolean.parseBoolean(options.getOrDefault("fail-on-finding", "false")) ? GATE_FAILED : PASSED;
    }

    /** The docs on the classpath, or the passages a recording saved ({@code --passages}). */
    private static PassageSource passages(Map<String, String> options) {
        return options.containsKey("passages") ? SavedPassages.readFrom(Path.of(options.get("passages")))
                : new PassageSource();
    }

    private static GatewayChatClient gateway(Map<String, String> options) {
        return new GatewayChatClient(gatewayUrl(options), apiKey(options), Duration.ofSeconds(60));
    }

    private static URI gatewayUrl(Map<String, String> options) {
        return URI.create(options.getOrDefault("gateway", env("PLATFORM_GATEWAY_URL", "http://127.0.0.1:8080")));
    }

    private static String apiKey(Map<String, String> options) {
        return options.getOrDefault("api-key", env("PLATFORM_EVALUATION_API_KEY", "demo-local-key"));
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Map<String, String> options(String[] args) {
        if (args.length == 0 || !("golden".equals(args[0]) || "redteam".equals(args[0]))) {
            throw new IllegalArgumentException("the first argument is the command: golden or redteam");
        }
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 1; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --option value, got '" + args[i] + "'");
            }
            options.put(args[i].substring(2), args[++i]);
        }
        return options;
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
