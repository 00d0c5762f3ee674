package dev.genaiplatform.evaluation.api;

import dev.genaiplatform.contracts.problem.ProblemType;
import dev.genaiplatform.evaluation.safety.GuardrailVerdictStore;
import dev.genaiplatform.evaluation.safety.SafetySummary;
import dev.genaiplatform.evaluation.security.InternalTokens;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Set;

/**
 * The online safety signals of the caller's tenant, from the stored guardrail verdicts: rates over time per
 * OWASP category and stage, and totals per category over a period to set next to a red-team scorecard.
 */
@RestController
@RequestMapping("/api/evaluation")
class SafetyController {

    private static final Set<String> BUCKETS = Set.of("hour", "day", "week");
    private static final Duration DEFAULT_PERIOD = Duration.ofDays(30);
    private static final Duration LONGEST_PERIOD = Duration.ofDays(366);

    private final GuardrailVerdictStore verdicts;

    SafetyController(GuardrailVerdictStore verdicts) {
        this.verdicts = verdicts;
    }

    @GetMapping("/safety-rates")
    List<GuardrailVerdictStore.SafetyRate> rates(@AuthenticationPrincipal Jwt token,
                                                 @RequestParam(defaultValue = "hour") String bucket,
                                                 @RequestParam(required = false) String from,
                                                 @RequestParam(required = false) String to) {
        if (!BUCKETS.contains(bucket)) {
            throw new ApiException(ProblemType.INVALID_VALUE, "'bucket' must be one of hour, day, week");
        }
        Period period = period(from, to);
        return verdicts.ratesOf(InternalTokens.tenant(token), bucket, period.from(), period.to());
    }

    @GetMapping("/safety-summary")
    SafetySummary summary(@AuthenticationPrincipal Jwt token,
                          @RequestParam(required = false) String from,
                          @RequestParam(required = false) String to) {
        Period period = period(from, to);
        return verdicts.summaryOf(InternalTokens.tenant(token), period.from(), period.to());
    }

    /** {@code to} defaults to now, {@code from} to 30 days before {@code to}; at most a year. */
    private static Period period(String from, String to) {
        Instant end = to == null || to.isBlank() ? Instant.now() : instant("to", to);
        Instant start = from == null || from.isBlank() ? end.minus(DEFAULT_PERIOD) : instant("from", from);
        if (!start.isBefore(end)) {
            throw new ApiException(ProblemType.INVALID_VALUE, "'from' must be before 'to'");
        }
        if (Duration.between(start, end).compareTo(LONGEST_PERIOD) > 0) {
            throw new ApiException(ProblemType.INVALID_VALUE, "the period from 'from' to 'to' is at most 366 days");
        }
        return new Period(start, end);
    }

    private static Instant instant(String name, String value) {
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new ApiException(ProblemType.INVALID_VALUE,
                    "'" + name + "' must be an ISO-8601 instant such as 2026-12-06T03:00:00Z");
        }
    }

    private record Period(Instant from, Instant to) {
    }
}
