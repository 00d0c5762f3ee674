package dev.genaiplatform.simulator.model;

import com.knuddels.jtokkit.api.EncodingType;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * One model the simulator serves, and how it behaves. Today a profile fixes the model's limits and its
 * speed; the serving model (batching, KV cache, prices) will read its capacity from here too.
 *
 * @param id               the name clients put in {@code "model"}, e.g. {@code sim-small}
 * @param ownedBy          the {@code owned_by} field of {@code /v1/models}
 * @param contextWindow    tokens the prompt and the completion may use together; a prompt that does not
 *                         fit is refused with {@code context_length_exceeded}, a completion that would
 *                         overflow it is cut with {@code finish_reason: "length"}
 * @param timeToFirstToken delay before the first token (the prefill of a real server)
 * @param interTokenDelay  delay between two tokens after the first (one decode step)
 * @param encoding         the tokenizer that counts and splits text for this model
 */
public record ModelProfile(
        String id,
        @DefaultValue("genai-platform") String ownedBy,
        @DefaultValue("16384") int contextWindow,
        @DefaultValue("150ms") Duration timeToFirstToken,
        @DefaultValue("15ms") Duration interTokenDelay,
        @DefaultValue("o200k_base") EncodingType encoding) {

    public ModelProfile {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("A model profile needs an id");
        }
        if (contextWindow < 1) {
            throw new IllegalArgumentException("Model " + id + ": context-window must be positive");
        }
        if (timeToFirstToken.isNegative() || interTokenDelay.isNegative()) {
            throw new IllegalArgumentException("Model " + id + ": delays must not be negative");
        }
    }
}
