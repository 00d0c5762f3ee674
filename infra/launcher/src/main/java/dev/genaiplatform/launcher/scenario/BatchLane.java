package dev.genaiplatform.launcher.scenario;

import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The asynchronous lane under a spike: a batch of questions for the slower model profile ({@code sim-large}) arrives
 * while people chat with {@code sim-small}. Interactive requests never queue behind batch lines (those wait on Kafka
 * for their provider's token bucket), so their latency holds; the batch drains later, and every line ends in the
 * output or the error file: nothing is lost.
 */
final class BatchLane implements Scenario {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int LINES = 40;
    private static final int INTERACTIVE = 8;

    @Override
    public String name() {
        return "batch-lane";
    }

    @Override
    public String question() {
        return "How do you serve a spike of offline batch work without hurting interactive latency, and lose nothing?";
    }

    @Override
    public void run(ScenarioContext context, Report report) throws Exception {
        report.step("Interactive latency before the spike: " + INTERACTIVE + " questions to sim-small, one after another");
        List<Long> before = interactive(context, "before");
        report.saw("before", summary(before));

        report.step("The spike: a JSONL file of " + LINES + " questions for sim-large (the slower profile), uploaded "
                + "with purpose batch, then POST /v1/batches");
        String lines = IntStream.range(0, LINES).mapToObj(i -> JSON.writeValueAsString(Map.of(
                        "custom_id", "q-" + i, "method", "POST", "url", "/v1/chat/completions",
                        "body", Map.of("model", "sim-large", "messages", List.of(Map.of("role", "user",
                                "content", "How does retrieval rank passages? (batch question " + i + ")"))))))
                .collect(Collectors.joining("\n")) + "\n";
        Gateway.Reply file = context.gateway().upload("/v1/files", context.unique("spike") + ".jsonl",
                "application/jsonl", lines.getBytes(StandardCharsets.UTF_8), Map.of("purpose", "batch"));
        report.saw("upload", file.status() + " " + file.at("/id").asString(ScenarioContext.problemCode(file)));
        if (!file.ok()) {
            report.notYet("a batch: retrieval refused the input file (" + ScenarioContext.problemCode(file) + ")");
            report.fact("batchStatus", "no input file");
            return;
        }
        long submitted = System.nanoTime();
        Gateway.Reply created = context.gateway().post("/v1/batches", Map.of("input_file_id", file.at("/id").asString(),
                "endpoint", "/v1/chat/completions", "completion_window", "24h",
                "metadata", Map.of("scenario", "batch-lane")));
        if (created.status() == 429) {
            // admission control: the batch queue is already longer than max-queue-wait
            report.saw("shed", created.status() + " " + ScenarioContext.problemCode(created) + ", Retry-After "
                    + created.header("Retry-After") + " s");
            report.fact("batchStatus", "shed");
            return;
        }
        if (!created.ok()) {
            report.saw("refused", created.status() + " " + ScenarioContext.problemCode(created) + ": "
                    + ScenarioContext.brief(created.at("/detail").asString(""), 160));
            report.fact("batchStatus", "refused " + created.status());
            return;
        }
        String batchId = created.at("/id").asString();
        report.saw("batch", batchId + " " + created.at("/status").asString() + ", "
                + created.at("/request_counts/total").asInt() + " lines queued on Kafka");

        report.step("Interactive latency during the spike: the same " + INTERACTIVE + " questions while the batch drains");
        List<Long> during = interactive(context, "during");
        Gateway.Reply progress = context.gateway().get("/v1/batches/" + batchId);
        report.saw("during", summary(during));
        report.saw("batch meanwhile", progress.at("/status").asString() + ", "
                + progress.at("/request_counts/completed").asInt() + " of " + LINES + " lines done");

        report.step("The batch drains later: poll GET /v1/batches/{id} until it is finished");
        Gateway.Reply done = context.poll("/v1/batches/" + batchId, "/status",
                List.of("completed", "failed", "expired", "cancelled"), Duration.ofMinutes(5));
        long drained = (System.nanoTime() - submitted) / 1_000_000;
        int completed = done.at("/request_counts/completed").asInt();
        int failed = done.at("/request_counts/failed").asInt();
        report.saw("batch", done.at("/status").asString() + " after " + drained + " ms: " + completed + " completed, "
                + failed + " failed");

        report.step("Nothing lost: every custom_id is in the output or the error file, exactly once");
        Set<String> seen = new HashSet<>();
        List<String> duplicates = new ArrayList<>();
        for (String fileId : new String[] {done.at("/output_file_id").asString(null), done.at("/error_file_id").asString(null)}) {
            if (fileId == null) {
                continue;
            }
            Gateway.Reply content = context.gateway().get("/v1/files/" + fileId + "/content");
            content.text().lines().filter(line -> !line.isBlank()).map(JSON::readTree)
                    .map(line -> line.path("custom_id").asString())
                    .forEach(id -> {
                        if (!seen.add(id)) {
                            duplicates.add(id);
                        }
                    });
            report.saw(fileId, content.status() + ", " + content.text().lines().filter(l -> !l.isBlank()).count() + " lines");
        }
        List<String> missing = IntStream.range(0, LINES).mapToObj(i -> "q-" + i).filter(id -> !seen.contains(id)).toList();
        report.saw("missing", missing.isEmpty() ? "none" : missing);
        report.saw("duplicated", duplicates.isEmpty() ? "none" : duplicates);

        report.fact("interactiveMedianBeforeMs", median(before));
        report.fact("interactiveMedianDuringMs", median(during));
        report.fact("batchStatus", done.at("/status").asString());
        report.fact("batchCompleted", completed);
        report.fact("batchFailed", failed);
        report.fact("batchDrainMs", drained);
        report.fact("missing", missing);
        report.fact("duplicated", duplicates);

        report.lookAt("orchestrator/README.md, section \"Batch lane\": how lines queue, wait for their provider and are "
                + "authorised after the caller's token expired");
        report.lookAt("orchestrator/src/main/java/dev/genaiplatform/orchestrator/batch/BatchWorker.java: one line, once");
        report.lookAt("orchestrator/src/main/java/dev/genaiplatform/orchestrator/batch/AdmissionControl.java: when new "
                + "batches get 429 + Retry-After");
        report.lookAt("orchestrator metrics on its management port: platform.batch.lines.finished, "
                + "platform.batch.line.duration, platform.batch.lines.skipped");
        report.outOfReach("shedding with 429 + Retry-After needs a queue longer than max-queue-wait (10 min by default); "
                + "orchestrator's BatchLaneIT shows it with a 0.2 lines/s provider");
    }

    private static List<Long> interactive(ScenarioContext context, String when) throws Exception {
        List<Long> millis = new ArrayList<>();
        for (int i = 0; i < INTERACTIVE; i++) {
            Gateway.Reply reply = context.ask("sim-small", "How are chunks kept? (" + when + " " + i + ")");
            if (reply.ok()) {
                millis.add(reply.millis());
            }
        }
        return millis;
    }

    private static long median(List<Long> values) {
        if (values.isEmpty()) {
            return -1;
        }
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    private static String summary(List<Long> values) {
        if (values.isEmpty()) {
            return "no answer";
        }
        List<Long> sorted = values.stream().sorted().toList();
        return values.size() + " answered, median " + median(values) + " ms, worst " + sorted.getLast() + " ms";
    }
}
