package dev.genaiplatform.orchestrator.chat;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.genaiplatform.orchestrator.prompt.TokenBudget;

import java.util.List;

/**
 * The platform's account of one answer, as the {@code platform} member of a completion (and of the finish chunk
 * of a stream): which model served it and why, whether it came from the cache, what the model calls were, where
 * the prompt's tokens went, and what it cost. OpenAI SDKs ignore the member; the platform's UI reads it.
 *
 * @param route       requested name, served model, rule and complexity estimate
 * @param cache       {@code hit}, {@code miss} or {@code bypass}
 * @param attempts    one entry per model call, {@code model:outcome}, in order (empty for a cache hit)
 * @param tokenBudget the prompt's window split against the served model's context window (null for a cache hit)
 * @param costUsd     what the model calls of this request cost at the price table (0 for a hit, null if unpriced)
 * @param idempotentReplay true when this answer was given before for the same {@code Idempotency-Key}
 * @param structuredOutput for a {@code json_schema} response format: how many answers it took and whether the last
 *                         one satisfies the schema
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PlatformMetadata(Route route, String cache, List<String> attempts, TokenBudget tokenBudget,
                               Double costUsd, Boolean idempotentReplay, StructuredOutput structuredOutput) {

    public PlatformMetadata(Route route, String cache, List<String> attempts, TokenBudget tokenBudget, Double costUsd,
                            Boolean idempotentReplay) {
        this(route, cache, attempts, tokenBudget, costUsd, idempotentReplay, null);
    }

    /**
     * @param attempts answers asked for (1 = the first answer held)
     * @param valid    whether the answer returned satisfies the schema
     * @param errors   what was wrong with the last answer checked (empty when valid)
     */
    public record StructuredOutput(int attempts, boolean valid, List<String> errors) {
    }

    /**
     * @param requested  the model name the client sent
     * @param model      the model that served the answer (after any fallback)
     * @param chosen     the model the router chose (before any fallback)
     * @param rule       the rule that chose it
     * @param complexity the complexity estimate
     */
    public record Route(String requested, String model, String chosen, String rule, double complexity) {
    }
}
