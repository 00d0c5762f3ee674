package dev.genaiplatform.orchestrator.memory;

import org.springframework.boot.context.properties.bind.DefaultValue;

import org.springframework.core.io.Resource;

import java.time.Duration;

/**
 * Conversation memory ({@code platform.orchestrator.memory.*}).
 *
 * @param maxTokens    the history kept word for word; beyond it the oldest turns are summarised by the model
 * @param summaryModel the client-facing model that writes summaries
 * @param ttl          how long an idle conversation is kept
 * @param summaryTemplate the instructions for the summary
 * @param facts        long-term facts per user ({@code memory.facts.*})
 */
public record MemorySettings(@DefaultValue("1500") int maxTokens, @DefaultValue("sim-small") String summaryModel,
                             @DefaultValue("7d") Duration ttl,
                             @DefaultValue("classpath:prompts/conversation-summary.st") Resource summaryTemplate,
                             @DefaultValue Facts facts) {

    /**
     * Long-term facts a user states about themself, kept across that user's conversations.
     *
     * @param enabled  off by default: facts follow a person from one conversation into the next, which a deployment
     *                 should choose knowingly
     * @param ttl      how long a user's facts outlive their last statement
     * @param maxFacts most facts put in a prompt
     */
    public record Facts(@DefaultValue("false") boolean enabled, @DefaultValue("90d") Duration ttl,
                        @DefaultValue("8") int maxFacts) {
    }
}
