package dev.genaiplatform.evaluation.api;

import dev.genaiplatform.evaluation.aggregates.AggregateSnapshot;
import dev.genaiplatform.evaluation.aggregates.CompletionAggregator;
import org.springframework.util.StringUtils;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;

/**
 * The quality dashboard's data: the caller's aggregates, never another tenant's. The tenant comes from
 * the {@value #TENANT_HEADER} header, which the gateway sets after authenticating the caller; this service
 * trusts it, so it must only be reachable through the gateway.
 */
@RestController
@RequestMapping("/api/evaluation")
class AggregatesController {

    static final String TENANT_HEADER = "X-Tenant-Id";

    private final CompletionAggregator aggregator;

    AggregatesController(CompletionAggregator aggregator) {
        this.aggregator = aggregator;
    }

    @GetMapping("/aggregates")
    List<AggregateSnapshot> aggregates(@RequestHeader(name = TENANT_HEADER, required = false) String tenantId,
                                       @RequestParam(required = false) String model) {
        if (!StringUtils.hasText(tenantId)) {
            throw new MissingTenantException();
        }
        return aggregator.snapshotsOf(tenantId, StringUtils.hasText(model) ? model : null);
    }

    /** The request did not say which tenant it is for: the gateway was bypassed or misconfigured. */
    static final class MissingTenantException extends RuntimeException {
        MissingTenantException() {
            super("The " + TENANT_HEADER + " header is missing: call this service through the gateway with an API key.");
        }
    }
}
