package dev.genaiplatform.orchestrator;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.core.io.Resource;

import java.time.Duration;
import java.util.Map;

/**
 * Settings of the chat flow, under {@code platform.orchestrator}.
 *
 * @param guardrails how the input check is asked for
 * @param retrieval  how passages are searched
 * @param prompt     how the prompt is built and how large it may grow
 * @param retryAfter the {@code Retry-After} a client gets with a 503 when a dependency did not answer
 * @param providers  the model providers, by a name of your choice ({@code platform.orchestrator.providers.<name>})
 * @param models     the model names clients may send, each mapped to a provider and that provider's model id
 *                   ({@code platform.orchestrator.models.<client-model-name>}); any other name gets a 404
 */
@ConfigurationProperties("platform.orchestrator")
public record OrchestratorProperties(
        @DefaultValue Guardrails guardrails,
        @DefaultValue Retrieval retrieval,
        @DefaultValue Prompt prompt,
        @DefaultValue("2s") Duration retryAfter,
        Map<String, Provider> providers,
        Map<String, Model> models) {

    public OrchestratorProperties {
        providers = providers == null ? Map.of() : Map.copyOf(providers);
        models = models == null ? Map.of() : Map.copyOf(models);
    }

    /** The wire protocol a provider speaks. */
    public enum ProviderKind {
        /** OpenAI's chat completions API: OpenAI, vLLM, llama.cpp server, LM Studio, the simulator. */
        OPENAI,
        /** Ollama's native {@code /api/chat}. */
        OLLAMA,
        /** Anthropic's Messages API. */
        ANTHROPIC
    }

    /**
     * One model provider ({@code platform.orchestrator.providers.<name>.*}).
     *
     * @param kind       {@code openai}, {@code ollama} or {@code anthropic}
     * @param baseUrl    where the provider listens. For {@code openai} it includes {@code /v1} (the SDK appends
     *                   {@code /chat/completions}); for {@code ollama} it is the server root (default
     *                   {@code http://127.0.0.1:11434}); for {@code anthropic} it is the root without {@code /v1}
     *                   (default {@code https://api.anthropic.com})
     * @param apiKey     the key sent to the provider; take it from an environment variable, never from a file in
     *                   the repository. Ollama needs none
     * @param timeout    timeout of one model call attempt
     * @param maxRetries retries on 429, 5xx and connection errors
     */
    public record Provider(ProviderKind kind, String baseUrl, String apiKey,
                           @DefaultValue("30s") Duration timeout, @DefaultValue("2") int maxRetries) {

        public Provider {
            if (kind == null) {
                throw new IllegalArgumentException("every platform.orchestrator.providers entry needs a kind: openai, ollama or anthropic");
            }
            if (maxRetries < 0) {
                throw new IllegalArgumentException("platform.orchestrator.providers.*.max-retries must not be negative");
            }
        }
    }

    /**
     * A model clients may name ({@code platform.orchestrator.models.<client-model-name>.*}).
     *
     * @param provider the name of an entry under {@code platform.orchestrator.providers}
     * @param model    the provider's own model id (defaults to the client-facing name)
     */
    public record Model(String provider, String model) {
    }

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
