package dev.genaiplatform.simulator.limits;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.util.Map;

/**
 * Provider-side rate limits, under {@code platform.simulator.limits}: what OpenAI enforces per organisation
 * and model, enforced here per API key and model. Off by default (every limit 0), like a self-hosted vLLM
 * server, so the platform's own tests and benchmarks never meet them; a demo of throttling turns them on.
 *
 * @param requestsPerMinute       requests one API key may send to one model per minute; 0 means no limit.
 *                                Applies to every model not listed under {@code models}
 * @param tokensPerMinute         tokens one API key may spend on one model per minute, counted when the
 *                                request arrives as prompt tokens plus {@code max_tokens} (or
 *                                {@code default-completion-tokens}); 0 means no limit
 * @param defaultCompletionTokens the completion tokens charged for a request that sets no {@code max_tokens}:
 *                                the limiter must charge before the answer exists, as OpenAI's does
 * @param maxKeys                 most (API key, model) pairs tracked at once; beyond it the least recently
 *                                seen pair is forgotten (and starts again with a full allowance), so memory
 *                                stays bounded however many keys callers invent
 * @param models                  per-model limits by model id, replacing the two defaults above for that model
 */
@ConfigurationProperties("platform.simulator.limits")
public record RateLimitProperties(@DefaultValue("0") long requestsPerMinute, @DefaultValue("0") long tokensPerMinute,
                                  @DefaultValue("256") int defaultCompletionTokens,
                                  @DefaultValue("10000") int maxKeys, Map<String, ModelLimits> models) {

    public RateLimitProperties {
        if (requestsPerMinute < 0 || tokensPerMinute < 0 || defaultCompletionTokens < 0) {
            throw new IllegalArgumentException("platform.simulator.limits: limits must not be negative");
        }
        if (maxKeys < 1) {
            throw new IllegalArgumentException("platform.simulator.limits.max-keys must be at least 1");
        }
        models = models == null ? Map.of() : Map.copyOf(models);
    }

    /** The limits that apply to a model: its own entry, else the defaults. */
    public ModelLimits forModel(String model) {
        return models.getOrDefault(model, new ModelLimits(requestsPerMinute, tokensPerMinute));
    }

    /**
     * @param requestsPerMinute requests per minute per API key for this model; 0 means no limit
     * @param tokensPerMinute   tokens per minute per API key for this model; 0 means no limit
     */
    public record ModelLimits(@DefaultValue("0") long requestsPerMinute, @DefaultValue("0") long tokensPerMinute) {

        public ModelLimits {
            if (requestsPerMinute < 0 || tokensPerMinute < 0) {
                throw new IllegalArgumentException("platform.simulator.limits.models: limits must not be negative");
            }
        }

        boolean none() {
            return requestsPerMinute == 0 && tokensPerMinute == 0;
        }
    }
}
