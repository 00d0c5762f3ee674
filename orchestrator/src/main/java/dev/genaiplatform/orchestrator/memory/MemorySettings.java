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
 */
public record MemorySettings(@DefaultValue("1500") int maxTokens, @DefaultValue("sim-small") String summaryModel,
                             @DefaultValue("7d") Duration ttl,
                             @DefaultValue("classpath:prompts/conversation-summary.st") Resource summaryTemplate) {
}
