package dev.genaiplatform.launcher.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Anthropic: review a junior's inference batching design. The simulator implements what the review asks for
 * (continuous batching with a KV-cache admission budget), so the scenario measures it: the same requests one after
 * another and all at once, through the gateway.
 */
final class BatchingReview implements Scenario {

    private static final int CONCURRENT = 12;

    @Override
    public String name() {
        return "batching-review";
    }

    @Override
    public String question() {
        return "Review a junior developer's design for an inference batching system: what would you change?";
    }

    @Override
    public void run(ScenarioContext context, Report report) throws Exception {
        report.step("The usual junior design, and the review");
        report.note("design: collect requests for 50 ms or until 8 arrive, run the batch to completion, then the next batch");
        report.note("1. static batches wait for their longest answer: short answers are held hostage -> continuous batching "
                + "(join and leave the batch at every decode step)");
        report.note("2. a fixed batch size ignores memory: admit by free KV-cache blocks, not by count");
        report.note("3. a long prompt's prefill stalls every decode in the batch: cap prefill tokens per step (chunked prefill)");
        report.note("4. no queue limit or deadline: bound the waiting queue, shed load with 429/503 and Retry-After");
        report.note("5. measure time to first token and inter-token latency per batch size, not just throughput");

        report.step("Measured through the gateway: " + CONCURRENT + " streamed requests one after another, then all at once");
        long sequentialStart = System.nanoTime();
        for (int i = 0; i < 3; i++) {
            stream(context, i);
        }
        double sequentialEach = (System.nanoTime() - sequentialStart) / 1e6 / 3;
        long concurrentStart = System.nanoTime();
        List<Long> firstTokens = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Long>> futures = new ArrayList<>();
            for (int i = 0; i < CONCURRENT; i++) {
                int n = i;
                futures.add(pool.submit(() -> stream(context, 100 + n)));
            }
            for (Future<Long> f : futures) {
                try {
                    firstTokens.add(f.get());
                } catch (java.util.concurrent.ExecutionException e) {
                    // a platform under more load than it can take sheds it with a problem: part of what to review
                    refused.add(ScenarioContext.brief(e.getCause().getMessage(), 160));
                }
            }
        }
        double concurrentWall = (System.nanoTime() - concurrentStart) / 1e6;
        firstTokens.sort(Long::compare);
        report.saw("one at a time", String.format("%.0f ms per request -> %d requests would take %.0f ms", sequentialEach, CONCURRENT, sequentialEach * CONCURRENT));
        report.saw("all at once", String.format("%d requests in %.0f ms (%.1fx), %d answered", CONCURRENT, concurrentWall,
                sequentialEach * CONCURRENT / Math.max(1, concurrentWall), firstTokens.size()));
        if (!firstTokens.isEmpty()) {
            report.saw("time to first token at once", "median " + firstTokens.get(firstTokens.size() / 2) + " ms, worst " + firstTokens.getLast() + " ms");
        }
        refused.forEach(problem -> report.saw("shed", problem));
        report.fact("completedConcurrently", firstTokens.size());
        report.fact("shed", refused);

        report.step("The step-time model the simulator uses (sim-small): decode step = 12 ms + 150 us per running sequence");
        for (int batch : List.of(1, 8, 32, 64)) {
            double step = 12 + 0.15 * batch;
            report.note(String.format("batch %2d: step %.1f ms, %5.0f tokens/s in total, %3.0f tokens/s per stream", batch, step, batch * 1000 / step, 1000 / step));
        }

        report.lookAt("infra/llm-simulator/src/main/java/dev/genaiplatform/simulator/serving/ContinuousBatchingEngine.java: the design the review asks for");
        report.lookAt("docs/benchmarks/simulator-serving.md: the throughput knee at 64 streams, measured");
        report.lookAt("simulator metrics on its management port: running and waiting sequences, KV-cache usage");
        report.outOfReach("GPU kernels, real memory pressure and chunked prefill: the simulator models step times and KV "
                + "blocks; chunked prefill and prefix caching are not built");
    }

    /** Streams one answer and returns when its first content arrived, in ms. */
    private static long stream(ScenarioContext context, int n) throws Exception {
        List<Gateway.Event> events = context.gateway().stream(Map.of("model", "sim-small", "stream", true,
                "messages", List.of(Map.of("role", "user", "content", "How does retrieval rank passages? (request " + n + ")"))),
                Map.of("Cache-Control", "no-cache"));
        return events.stream().filter(e -> !e.data().equals("[DONE]") && !e.json().at("/choices/0/delta/content").asString("").isEmpty())
                .findFirst().orElse(events.getLast()).millis();
    }
}
