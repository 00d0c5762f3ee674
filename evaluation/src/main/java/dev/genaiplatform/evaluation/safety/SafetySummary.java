package dev.genaiplatform.evaluation.safety;

import java.time.Instant;
import java.util.List;

/**
 * A tenant's guardrail verdicts over a period, per OWASP category.
 *
 * @param from       inclusive
 * @param to         exclusive
 * @param checks     verdicts in the period (a check with two categories counts once here, once in each row)
 * @param categories one row per category seen, {@code none} for unlabelled verdicts
 */
public record SafetySummary(Instant from, Instant to, long checks, List<CategoryCount> categories) {

    /** @param category {@code LLM01}..{@code LLM10}, {@code other} or {@code none} */
    public record CategoryCount(String category, long verdicts, long blocked, long redacted, long allowed) {
    }
}
