package dev.genaiplatform.contracts.guardrails;

import java.time.Instant;
import java.util.List;

/**
 * Guardrails decided something about a request: one event per check, for evaluation and audit. It carries the
 * reasons (detectors, categories, positions, scores) and never the checked text, so it can be kept longer than
 * the check topics themselves.
 *
 * @param eventId         unique id of this event
 * @param occurredAt      when the verdict was reached
 * @param requestId       the request that was checked
 * @param tenantId        the tenant, from the verified internal token
 * @param stage           {@code input} (a chat request before the model), {@code check-api} (the HTTP check
 *                        API, evaluation and red-teaming), {@code answer} (a window of a model's answer),
 *                        {@code retrieved-chunk} or {@code tool-result} (untrusted data scanned for injection)
 * @param policy          the name of the policy applied
 * @param verdict         allowed, redacted or blocked
 * @param injectionScore  the prompt-injection score in [0, 1], null when that check did not run
 * @param findings        what was found, positions only
 * @param owaspCategories the OWASP Top 10 for LLM Applications (2025) risks the findings belong to, e.g.
 *                        {@code LLM01:2025 Prompt Injection}, {@code LLM02:2025 Sensitive Information Disclosure},
 *                        {@code LLM10:2025 Unbounded Consumption}; empty when nothing was found
 * @param reason          the sentence a client was shown when blocked; null otherwise
 * @param tookMicros      how long the checks took, microseconds
 */
public record GuardrailVerdictRecordedEvent(
        String eventId,
        Instant occurredAt,
        String requestId,
        String tenantId,
        String stage,
        String policy,
        Verdict verdict,
        Double injectionScore,
        List<Finding> findings,
        List<String> owaspCategories,
        String reason,
        long tookMicros) {
}
