package dev.genaiplatform.orchestrator;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.core.io.Resource;

import java.time.Duration;

/**
 * Settings of the chat flow, under {@code platform.orchestrator}. The model server itself is configured
 * with Spring AI's own {@code spring.ai.openai.*} keys.
 *
 * @param guardrails how the input check is asked for
 * @param retrieval  how passages are searched
 * @param prompt     how the prompt is built and how large it may grow
 * @param retryAfter the {@code Retry-After} a client gets with a 503 when a dependency did not answer
 */
@ConfigurationProperties("platform.orchestrator")
public record OrchestratorProperties(
        @DefaultValue Guardrails guardrails,
        @DefaultValue Retrieval retrieval,
        @DefaultValue Prompt prompt,
        @DefaultValue("2s") Duration retryAfter) {

    /**
     * @param timeout how long to wait for the guardrails verdict before answering 503
     *                ({@code platform.orchestrator.guardrails.timeout}, env {@code GUARDRAILS_TIMEOUT})
     */
    public record Guardrails(@DefaultValue("5s") Duration timeout) {
    }

    /**
     * @param timeout how long to wait for search results before answering 503
     *                ({@code platform.orchestrator.retrieval.timeout}, env {@code RETRIEVAL_TIMEOUT})
     * @param topK    how many passages to ask retrieval for ({@code platform.orchestrator.retrieval.top-k})
     */
    public record Retrieval(@DefaultValue("5s") Duration timeout, @DefaultValue("4") int topK) {

        public Retrieval {
            if (topK < 1) {
                throw new IllegalArgumentException("platform.orchestrator.retrieval.top-k must be at least 1");
            }
        }
    }

    /**
     * @param systemTemplate   the system message template; it receives the rendered passages as {@code context}
     * @param passageTemplate  how one numbered passage is written into the context
     * @param maxContextTokens token budget for the passages: they are added best-first while they fit
     * @param maxPromptTokens  token budget for the whole prompt (system message and conversation); set it to
     *                         the model's context window minus the tokens you keep for the answer
     */
    public record Prompt(
            @DefaultValue("classpath:prompts/grounded-answer.st") Resource systemTemplate,
            @DefaultValue("classpath:prompts/context-passage.st") Resource passageTemplate,
            @DefaultValue("2000") int maxContextTokens,
            @DefaultValue("6000") int maxPromptTokens) {

        public Prompt {
            if (maxContextTokens < 1 || maxContextTokens >= maxPromptTokens) {
                throw new IllegalArgumentException(
                        "platform.orchestrator.prompt.max-context-tokens must be positive and smaller than max-prompt-tokens");
            }
        }
    }
}
