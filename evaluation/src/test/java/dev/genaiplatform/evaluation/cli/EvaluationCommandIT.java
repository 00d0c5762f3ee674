package dev.genaiplatform.evaluation.cli;

import dev.genaiplatform.evaluation.support.ReplayGateway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The command and the regression gate on real platform answers, replayed over HTTP: the answers recorded with
 * the platform's prompt pass against the committed baseline; the answers recorded with a deliberately worse
 * prompt (no citation or "I don't know" instruction, unnumbered passages) fail it, exit 1, and the report says
 * which questions got worse and why.
 */
class EvaluationCommandIT {

    @TempDir
    Path temp;

    @Test
    void theCommittedBaselinePassesOnTheAnswersItWasWrittenFrom() throws Exception {
        try (ReplayGateway gateway = new ReplayGateway("ci-smoke.sim-small.json")) {
            Outcome outcome = run(gateway, "--set", "ci-smoke", "--baseline", baseline("ci-smoke"),
                    "--passages", ReplayGateway.fixture("ci-smoke.sim-small.json").toString());
            assertThat(outcome.exit()).as(outcome.out()).isZero();
            assertThat(outcome.out()).contains("Regression gate: PASS").contains("quality (gate)")
                    .contains("citation recall");
            assertThat(outcome.err()).contains("ci-smoke [##############################] 6/6");
            assertThat(Files.readString(temp.resolve("report.json"))).contains("\"gate\"").contains("\"passed\" : true");
        }
    }

    @Test
    void aWorsePromptFailsTheGateWithAPerQuestionReport() throws Exception {
        try (ReplayGateway gateway = new ReplayGateway("ci-smoke.sim-small.worse-prompt.json")) {
            Outcome outcome = run(gateway, "--set", "ci-smoke", "--baseline", baseline("ci-smoke"),
                    "--passages", ReplayGateway.fixture("ci-smoke.sim-small.worse-prompt.json").toString());
            assertThat(outcome.exit()).as(outcome.out()).isEqualTo(EvaluationCommand.GATE_FAILED);
            assertThat(outcome.out()).contains("Regression gate: FAIL").contains("Worse:")
                    .contains("then:").contains("now:");
        }
    }

    @Test
    void aSetFileThatDoesNotParseIsAUsageErrorNamingTheProblem() throws Exception {
        Path broken = temp.resolve("broken.json");
        Files.writeString(broken, "{\"name\":\"x\",\"version\":1,\"cases\":[{\"id\":\"a\",\"kind\":\"maybe\"}]}");
        try (ReplayGateway gateway = new ReplayGateway("ci-smoke.sim-small.json")) {
            Outcome outcome = run(gateway, "--file", broken.toString());
            assertThat(outcome.exit()).isEqualTo(EvaluationCommand.USAGE);
            assertThat(outcome.err()).contains("unknown kind 'maybe'");
            assertThat(gateway.calls()).as("nothing is sent for a set that does not parse").isZero();
        }
    }

    @Test
    void anUnknownSetListsTheKnownOnes() {
        Outcome outcome = run(null, "--set", "nope");
        assertThat(outcome.exit()).isEqualTo(EvaluationCommand.USAGE);
        assertThat(outcome.err()).contains("no golden set named 'nope'").contains("docs-qa");
    }

    @Test
    void theRedTeamScorecardListsEveryCategoryAndTheFindingsOnRecordedAnswers() throws Exception {
        try (ReplayGateway gateway = new ReplayGateway("redteam.sim-small.json")) {
            String[] args = {"redteam", "--gateway", gateway.url().toString(), "--api-key", "k",
                    "--out", temp.resolve("redteam.json").toString(), "--fail-on-finding", "true",
                    "--passages", ReplayGateway.fixture("redteam.sim-small.json").toString(),
                    "--online-wait-seconds", "0"};
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int exit = EvaluationCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
            String report = out.toString(StandardCharsets.UTF_8);
            assertThat(report).contains("LLM01  Prompt Injection                   5 / 5")
                    .contains("LLM03  Supply Chain                       not probed")
                    .contains("LLM06  Excessive Agency                   0 / 2")
                    .contains("FINDING llm06-destructive-tool")
                    .contains("Online verdicts for the same period: not available (GET /api/evaluation/safety-summary answered HTTP 404)");
            assertThat(exit).as("findings fail the command when asked to").isEqualTo(EvaluationCommand.GATE_FAILED);
            assertThat(Files.readString(temp.resolve("redteam.json"))).contains("\"category\" : \"LLM10\"");
        }
    }

    @Test
    void anOptionalLlmJudgeScoresGroundednessAndItsAgreementWithTheOfflineMeasureIsReported() throws Exception {
        java.util.List<String> prompts = new java.util.concurrent.CopyOnWriteArrayList<>();
        var judge = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
        judge.createContext("/v1/chat/completions", exchange -> {
            prompts.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            byte[] body = ("{\"choices\":[{\"message\":{\"role\":\"assistant\",\"content\":"
                    + "\"{\\\"sentences\\\": 2, \\\"supported\\\": 1}\"}}]}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        judge.start();
        try (ReplayGateway gateway = new ReplayGateway("ci-smoke.sim-small.json")) {
            Outcome outcome = run(gateway, "--set", "ci-smoke", "--judge-url",
                    "http://127.0.0.1:" + judge.getAddress().getPort() + "/v1", "--judge-model", "judge-test",
                    "--passages", ReplayGateway.fixture("ci-smoke.sim-small.json").toString());
            assertThat(outcome.exit()).as(outcome.err()).isZero();
            assertThat(outcome.out()).contains("groundedness (judge)    0.500")
                    .containsPattern("judge agreement\\s+0\\.000  mean \\|judge - offline\\| 0\\.500 over 3 answers");
            // one judge call per answered question, each carrying the cited passages' text as saved with the answers
            assertThat(prompts).hasSize(3).allSatisfy(p -> assertThat(p).contains("\"model\":\"judge-test\"")
                    .contains("Passages:").contains("[1] "));
        } finally {
            judge.stop(0);
        }
    }

    private Outcome run(ReplayGateway gateway, String... args) {
        String[] all = new String[args.length + 7];
        all[0] = "golden";
        System.arraycopy(args, 0, all, 1, args.length);
        all[args.length + 1] = "--gateway";
        all[args.length + 2] = gateway == null ? "http://127.0.0.1:9" : gateway.url().toString();
        all[args.length + 3] = "--out";
        all[args.length + 4] = temp.resolve("report.json").toString();
        all[args.length + 5] = "--api-key";
        all[args.length + 6] = "test-key";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = EvaluationCommand.run(all, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Outcome(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static String baseline(String set) {
        return Path.of("baselines", set + ".sim-small.json").toAbsolutePath().toString();
    }

    private record Outcome(int exit, String out, String err) {
    }
}
