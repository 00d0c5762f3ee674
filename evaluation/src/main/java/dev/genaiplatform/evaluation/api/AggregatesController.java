package dev.genaiplatform.evaluation.api;

import dev.genaiplatform.evaluation.events.AggregateSnapshot;
import dev.genaiplatform.evaluation.events.CompletionEventStore;
import dev.genaiplatform.evaluation.security.InternalTokens;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.util.StringUtils;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;

/** The quality dashboard's data: the caller's aggregates, computed from the stored events, never another tenant's. */
@RestController
@RequestMapping("/api/evaluation")
class AggregatesController {

    private final CompletionEventStore store;

    AggregatesController(CompletionEventStore store) {
        this.store = store;
    }

    @GetMapping("/quality-rates")
    List<CompletionEventStore.QualityRate> rates(@AuthenticationPrincipal Jwt token,
                                                 @RequestParam(defaultValue = "day") String bucket) {
        if (!java.util.Set.of("hour", "day", "week").contains(bucket)) {
            throw new ApiException(dev.genaiplatform.contracts.problem.ProblemType.INVALID_VALUE,
                    "'bucket' must be one of hour, day, week");
        }
        return store.ratesOf(InternalTokens.tenant(token), bucket);
    }

    @GetMapping("/aggregates")
    List<AggregateSnapshot> aggregates(@AuthenticationPrincipal Jwt token, @RequestParam(required = false) String model) {
        return store.aggregatesOf(InternalTokens.tenant(token), StringUtils.hasText(model) ? model : null);
    }
}
