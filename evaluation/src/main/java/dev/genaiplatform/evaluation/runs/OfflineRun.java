package dev.genaiplatform.evaluation.runs;

import dev.genaiplatform.evaluation.golden.GoldenCase;
import dev.genaiplatform.evaluation.golden.GoldenSet;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/**
 * Runs a golden set through a {@link ChatClient}: every case, {@code repetitions} times, at most
 * {@code concurrency} calls in flight (virtual threads, a semaphore as the limit), each answer scored as it
 * arrives and reported to a listener (the command's progress bar, the service's progress column). Repetition
 * {@code r} sends seed {@code r + 1}, so repetitions of a sampling model differ and a rerun repeats them.
 */
public class OfflineRun {

    private final ChatClient client;
    private final CaseScorer scorer;
    private final int concurrency;

    public OfflineRun(ChatClient client, CaseScorer scorer, int concurrency) {
        this.client = client;
        this.scorer = scorer;
        this.concurrency = concurrency;
    }

    /** Called once per scored answer, from the calling threads; must be thread-safe. */
    @FunctionalInterface
    public interface Progress {
        void scored(CaseResult result, int done, int total);
    }

    /**
     * @return the results sorted by case order, then repetition
     */
    public List<CaseResult> run(GoldenSet set, RunOptions options, Progress progress) throws InterruptedException {
        int total = set.cases().size() * options.repetitions();
        Semaphore inFlight = new Semaphore(concurrency);
        java.util.concurrent.atomic.AtomicInteger done = new java.util.concurrent.atomic.AtomicInteger();
        List<Future<CaseResult>> futures = new ArrayList<>();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int repetition = 0; repetition < options.repetitions(); repetition++) {
                for (GoldenCase goldenCase : set.cases()) {
                    int rep = repetition;
                    inFlight.acquire();
                    futures.add(executor.submit(() -> {
                        try {
                            ChatAnswer answer = client.ask(goldenCase, new ChatClient.CallOptions(options.model(),
                                    options.experimentArm(), rep + 1, null));
                            CaseResult result = scorer.score(goldenCase, rep, options.model(), answer);
                            progress.scored(result, done.incrementAndGet(), total);
                            return result;
                        } finally {
                            inFlight.release();
                        }
                    }));
                }
            }
        }
        List<String> order = set.cases().stream().map(GoldenCase::id).toList();
        List<CaseResult> results = new ArrayList<>();
        for (Future<CaseResult> future : futures) {
            try {
                results.add(future.get());
            } catch (ExecutionException e) {
                throw new IllegalStateException("scoring failed: " + e.getCause(), e.getCause());
            }
        }
        results.sort(Comparator.comparingInt((CaseResult r) -> order.indexOf(r.caseId()))
                .thenComparingInt(CaseResult::repetition));
        return results;
    }

    /**
     * @param model         client-facing model name
     * @param experimentArm arm to force, or null
     * @param repetitions   times each case is asked (1..20)
     */
    public record RunOptions(String model, String experimentArm, int repetitions) {
        public RunOptions {
            if (model == null || model.isBlank()) {
                throw new IllegalArgumentException("'model' is required");
            }
            if (repetitions < 1 || repetitions > 20) {
                throw new IllegalArgumentException("'repetitions' must be between 1 and 20");
            }
        }
    }
}
