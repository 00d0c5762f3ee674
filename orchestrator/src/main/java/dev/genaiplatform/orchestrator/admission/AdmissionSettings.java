package dev.genaiplatform.orchestrator.admission;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * How many chat requests this instance works on at once, under {@code platform.orchestrator.admission}.
 *
 * @param maxInFlight chat requests in flight at most ({@code CHAT_MAX_IN_FLIGHT}); one more is refused at once with
 *                    429 {@code overloaded} and {@code Retry-After}, before its token is verified or anything is
 *                    asked of guardrails, retrieval or a model. 0 turns the bound off. Sized in the README
 *                    (Admission): below the model bulkhead (64), so an admitted request never meets a full bulkhead,
 *                    and at what the dependencies answer within their 5 s timeouts
 * @param retryAfter  the {@code Retry-After} a refused request gets
 */
@ConfigurationProperties("platform.orchestrator.admission")
public record AdmissionSettings(@DefaultValue("32") int maxInFlight, @DefaultValue("1s") Duration retryAfter) {

    public AdmissionSettings {
        if (maxInFlight < 0) {
            throw new IllegalArgumentException("platform.orchestrator.admission.max-in-flight must not be negative");
        }
    }
}
