package dev.genaiplatform.evaluation.api;

import dev.genaiplatform.contracts.problem.ProblemType;
import dev.genaiplatform.evaluation.EvaluationProperties;
import dev.genaiplatform.evaluation.gate.Baseline;
import dev.genaiplatform.evaluation.gate.Baselines;
import dev.genaiplatform.evaluation.gate.GateReport;
import dev.genaiplatform.evaluation.gate.RegressionGate;
import dev.genaiplatform.evaluation.golden.GoldenSets;
import dev.genaiplatform.evaluation.runs.CaseResult;
import dev.genaiplatform.evaluation.runs.RunRepository;
import dev.genaiplatform.evaluation.runs.RunRequest;
import dev.genaiplatform.evaluation.runs.RunService;
import dev.genaiplatform.evaluation.runs.RunView;
import dev.genaiplatform.evaluation.security.InternalTokens;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Offline runs of golden sets through the gateway (scope {@code evaluation}): start one, watch its progress,
 * read its metrics and every scored answer. A run is the caller's tenant's; another tenant's id is a 404.
 */
@RestController
@RequestMapping("/api/evaluation")
class RunsController {

    private final RunService service;
    private final RunRepository runs;
    private final GoldenSets catalog;
    private final int resamples;

    RunsController(RunService service, RunRepository runs, GoldenSets catalog, EvaluationProperties properties) {
        this.service = service;
        this.runs = runs;
        this.catalog = catalog;
        this.resamples = properties.runs().bootstrapResamples();
    }

    @GetMapping("/golden-sets")
    List<Map<String, Object>> goldenSets() {
        return catalog.names().stream().map(catalog::named).map(set -> Map.<String, Object>of(
                "name", set.name(), "version", set.version(), "cases", set.cases().size(),
                "description", set.description())).toList();
    }

    @PostMapping("/runs")
    ResponseEntity<RunView> start(@AuthenticationPrincipal Jwt token, @RequestBody RunRequest request) {
        RunView run = service.start(InternalTokens.tenant(token), request);
        return ResponseEntity.accepted().location(URI.create("/api/evaluation/runs/" + run.id())).body(run);
    }

    @GetMapping("/runs")
    List<RunView> list(@AuthenticationPrincipal Jwt token, @RequestParam(defaultValue = "20") int limit) {
        if (limit < 1 || limit > 200) {
            throw new ApiException(ProblemType.INVALID_VALUE, "'limit' must be between 1 and 200");
        }
        return runs.list(InternalTokens.tenant(token), limit);
    }

    @GetMapping("/runs/{id}")
    RunView get(@AuthenticationPrincipal Jwt token, @PathVariable UUID id) {
        return find(token, id);
    }

    @GetMapping("/runs/{id}/results")
    List<CaseResult> results(@AuthenticationPrincipal Jwt token, @PathVariable UUID id) {
        return runs.results(find(token, id).id());
    }

    /**
     * The run against the committed baseline of its set and model, as the command's {@code --baseline} does;
     * {@code passed} false is the gate failing. 404 without a baseline; 409 while the run is not finished, for an
     * inline set, or when the baseline was written for another version of the set.
     */
    @GetMapping("/runs/{id}/gate")
    GateReport gate(@AuthenticationPrincipal Jwt token, @PathVariable UUID id,
                    @RequestParam(defaultValue = "0.05") double margin) {
        RunView run = find(token, id);
        if (!"SUCCEEDED".equals(run.status())) {
            throw new ApiException(ProblemType.CONFLICT, "run " + id + " is " + run.status() + "; gate it once it succeeded");
        }
        if (run.inlineSet()) {
            throw new ApiException(ProblemType.CONFLICT, "an inline set has no committed baseline");
        }
        if (margin < 0 || margin > 1) {
            throw new ApiException(ProblemType.INVALID_VALUE, "'margin' must be between 0 and 1");
        }
        Baseline baseline = Baselines.committed(run.set(), run.model()).orElseThrow(() -> new ApiException(
                ProblemType.NOT_FOUND, "no committed baseline for set '" + run.set() + "' and model '" + run.model() + "'"));
        if (baseline.setVersion() != run.setVersion()) {
            throw new ApiException(ProblemType.CONFLICT, "the baseline is for " + run.set() + " v" + baseline.setVersion()
                    + ", the run used v" + run.setVersion());
        }
        return RegressionGate.compare(baseline, runs.results(run.id()), margin, resamples);
    }

    private RunView find(Jwt token, UUID id) {
        return runs.find(InternalTokens.tenant(token), id)
                .orElseThrow(() -> new ApiException(ProblemType.NOT_FOUND, "no run " + id + " for your tenant"));
    }
}
