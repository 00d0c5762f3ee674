package dev.genaiplatform.launcher.scenario;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * OpenAI: a scalable system for training an LLM under compute and data limits. Nothing is trained here. What the
 * platform shows is the arithmetic that sizes a training run, and the two ends of the loop it does have: the
 * data it records (every completion, with feedback) and the evaluation gate a new checkpoint must pass.
 */
final class LlmTraining implements Scenario {

    @Override
    public String name() {
        return "llm-training";
    }

    @Override
    public String question() {
        return "Design a scalable system for training an LLM under compute and data constraints.";
    }

    @Override
    public void run(ScenarioContext context, Report report) throws Exception {
        report.step("Size the run (computed here): 7 B parameters on 2 T tokens, about 20 tokens per parameter");
        double flops = ModelArithmetic.trainingFlops(7e9, 2e12);
        double gpuFlops = 400e12 * 0.4; // a 400 TFLOP/s bf16 accelerator at 40 % utilisation
        double gpuDays = flops / gpuFlops / 86_400;
        report.note(String.format("compute: 6 x N x D = %.2e FLOPs", flops));
        report.note(String.format("at 160 TFLOP/s effective per accelerator: %,.0f accelerator-days (%,.0f days on 256)", gpuDays, gpuDays / 256));
        report.note(String.format("memory with Adam in mixed precision, ~16 bytes a parameter: %.0f GiB before activations",
                7e9 * 16 / ModelArithmetic.GIB));
        report.note("=> shard weights, gradients and optimizer state (ZeRO/FSDP), add tensor and pipeline parallelism, checkpoint often");
        report.fact("trainingFlops", flops);

        report.step("The data end: the platform records every completion (model, tokens, cost, provenance) for later use");
        Gateway.Reply aggregates = context.gateway().get("/api/evaluation/aggregates");
        report.saw("GET /api/evaluation/aggregates", ScenarioContext.brief(aggregates.text(), 240));

        report.step("The gate end: a checkpoint ships only if it passes the golden set (here against sim-small)");
        Gateway.Reply run = context.gateway().post("/api/evaluation/runs", Map.of("set", "ci-smoke", "model", "sim-small", "repetitions", 1));
        String runId = run.at("/id").asString();
        Gateway.Reply done = context.poll("/api/evaluation/runs/" + runId, "/status", List.of("SUCCEEDED", "FAILED"), Duration.ofSeconds(120));
        report.saw("run " + runId, done.at("/status").asString() + ", " + done.at("/completedCalls").asInt() + "/" + done.at("/totalCalls").asInt() + " calls");
        report.saw("quality", String.format("%.3f [%.3f, %.3f] (bootstrap interval)", done.at("/summary/quality/mean").asDouble(),
                done.at("/summary/quality/low").asDouble(), done.at("/summary/quality/high").asDouble()));
        Gateway.Reply gate = context.gateway().get("/api/evaluation/runs/" + runId + "/gate?margin=0.05");
        report.saw("regression gate against the committed baseline", gate.status() + " " + ScenarioContext.brief(gate.text(), 200));
        report.fact("evaluationStatus", done.at("/status").asString());

        report.lookAt("evaluation/README.md: golden sets, bootstrap intervals, the paired regression gate");
        report.lookAt("/api/evaluation/runs/{id}/results: every scored answer, the raw material for error analysis");
        report.outOfReach("training itself: no accelerators, no distributed trainer, no data-loading at scale; the platform "
                + "cannot pre-train, fine-tune or checkpoint a model. The numbers above are arithmetic, not a measurement");
        report.outOfReach("deduplication, filtering and tokenising a web-scale corpus: only the recorded completions and "
                + "feedback exist here, as a source of evaluation and preference data");
    }
}
