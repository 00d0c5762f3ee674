package dev.genaiplatform.evaluation.api;

import dev.genaiplatform.contracts.problem.ProblemType;
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

    RunsController(RunService service, RunRepository runs, GoldenSets catalog) {
        this.service = service;
        this.runs = runs;
        this.catalog = catalog;
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

    private RunView find(Jwt token, UUID id) {
        return runs.find(InternalTokens.tenant(token), id)
                .orElseThrow(() -> new ApiException(ProblemType.NOT_FOUND, "no run " + id + " for your tenant"));
    }
}
