package dev.genaiplatform.evaluation.runs;

import dev.genaiplatform.contracts.problem.ProblemType;
import dev.genaiplatform.evaluation.api.ApiException;
import dev.genaiplatform.evaluation.golden.GoldenSet;
import dev.genaiplatform.evaluation.golden.GoldenSetException;
import dev.genaiplatform.evaluation.golden.GoldenSets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;

/**
 * Accepts offline runs and executes them in the background: each run is checked completely before anything is
 * stored (unknown set → 404, a set that does not parse or bad options → 400, nothing half-stored), then queued;
 * at most {@code maxConcurrentRuns} execute at once, each scored answer is stored as it arrives, so the progress
 * and partial results are visible while it runs. A run interrupted by a restart is marked failed at the next
 * start rather than silently left running.
 */
public class RunService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RunService.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final GoldenSets catalog;
    private final RunRepository runs;
    private final OfflineRun offlineRun;
    private final int resamples;
    private final Semaphore slots;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

    public RunService(GoldenSets catalog, RunRepository runs, OfflineRun offlineRun, int resamples, int maxConcurrentRuns) {
        this.catalog = catalog;
        this.runs = runs;
        this.offlineRun = offlineRun;
        this.resamples = resamples;
        this.slots = new Semaphore(maxConcurrentRuns);
        int interrupted = runs.failUnfinished("interrupted: the evaluation service restarted while the run was executing");
        if (interrupted > 0) {
            log.warn("{} run(s) left unfinished by the previous process were marked FAILED", interrupted);
        }
    }

    public RunView start(String tenant, RunRequest request) {
        GoldenSet set = resolve(request);
        OfflineRun.RunOptions options;
        try {
            options = new OfflineRun.RunOptions(request.model(), blankToNull(request.experimentArm()),
                    request.repetitions() == null ? 1 : request.repetitions());
        } catch (IllegalArgumentException e) {
            throw new ApiException(request.model() == null || request.model().isBlank()
                    ? ProblemType.MISSING_REQUIRED_PARAMETER : ProblemType.INVALID_VALUE, e.getMessage());
        }
        if (request.limit() != null && request.limit() < 1) {
            throw new ApiException(ProblemType.INVALID_VALUE, "'limit' must be at least 1");
        }
        GoldenSet limited = set.limitedTo(request.limit());
        UUID id = UUID.randomUUID();
        runs.create(id, tenant, limited, request.goldenSet() != null && !request.goldenSet().isNull(), options);
        executor.submit(() -> execute(id, limited, options));
        return runs.find(tenant, id).orElseThrow();
    }

    private GoldenSet resolve(RunRequest request) {
        boolean named = request.set() != null && !request.set().isBlank();
        if (named == (request.goldenSet() != null && !request.goldenSet().isNull())) {
            throw new ApiException(ProblemType.MISSING_REQUIRED_PARAMETER,
                    "give either 'set' (one of " + catalog.names() + ") or an inline 'goldenSet', not both");
        }
        try {
            return named ? catalog.named(request.set())
                    : catalog.parse(JSON.writeValueAsBytes(request.goldenSet()), "goldenSet");
        } catch (GoldenSetException e) {
            throw new ApiException(e.isUnknown() ? ProblemType.NOT_FOUND : ProblemType.INVALID_VALUE, e.getMessage());
        }
    }

    private void execute(UUID id, GoldenSet set, OfflineRun.RunOptions options) {
        try {
            slots.acquire();
            try {
                runs.markRunning(id);
                var results = offlineRun.run(set, options, (result, done, total) -> runs.addResult(id, result));
                runs.succeed(id, RunSummary.of(results, resamples));
            } finally {
                slots.release();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            runs.fail(id, "interrupted: the service is stopping");
        } catch (RuntimeException e) {
            log.warn("run {} failed", id, e);
            runs.fail(id, e.getMessage());
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
