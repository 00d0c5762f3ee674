package dev.genaiplatform.evaluation.api;

import dev.genaiplatform.evaluation.experiments.ExperimentReport;
import dev.genaiplatform.evaluation.experiments.ExperimentReports;
import dev.genaiplatform.evaluation.security.InternalTokens;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Per-arm quality and cost of an A/B experiment, with intervals and a significance verdict, and optionally a
 * sample-ratio-mismatch check against the configured shares (scope {@code evaluation}).
 */
@RestController
@RequestMapping("/api/evaluation")
class ExperimentsController {

    private final ExperimentReports reports;

    ExperimentsController(ExperimentReports reports) {
        this.reports = reports;
    }

    @GetMapping("/experiments/{experiment}")
    ExperimentReport report(@AuthenticationPrincipal Jwt token, @PathVariable String experiment,
                            @RequestParam(required = false) String shares) {
        return reports.report(InternalTokens.tenant(token), experiment, shares);
    }
}
