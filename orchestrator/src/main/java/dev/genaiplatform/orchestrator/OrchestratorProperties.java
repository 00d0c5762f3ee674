package dev.genaiplatform.orchestrator;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.core.io.Resource;

import dev.genaiplatform.orchestrator.cache.CacheSettings;
import dev.genaiplatform.orchestrator.idempotency.IdempotencySettings;
import dev.genaiplatform.orchestrator.memory.MemorySettings;
import dev.genaiplatform.orchestrator.resilience.ResilienceSettings;
import dev.genaiplatform.orchestrator.routing.RoutingSettings;
import dev.genaiplatform.orchestrator.semantic.SemanticCacheSettings;

import java.time.Duration;
import java.util.List;
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
 * @param resilience timeouts, retries, circuit breakers and bulkheads around model calls
 * @param fallbacks  per model, the models to try next when it fails ({@code platform.orchestrator.fallbacks.<model>})
 * @param tenants    per tenant: tier, monthly budget and its own fallback chains
 * @param routing    how the routed model name ({@code auto}) chooses
 * @param cache      the exact answer cache
 * @param idempotency the {@code Idempotency-Key} store
 * @param semanticCache the semantic answer cache (off by default)
 * @param memory     conversation memory for requests with {@code X-Conversation-Id}
 * @param messaging  how commands to guardrails and retrieval are sent
 * @param benchmark  switches that bring back an earlier way of doing something, only to measure it side by side
 */
@ConfigurationProperties("platform.orchestrator")
public record OrchestratorProperties(
        @DefaultValue Guardrails guardrails,
        @DefaultValue Retrieval retrieval,
        @DefaultValue Prompt prompt,
        @DefaultValue("2s") Duration retryAfter,
        Map<String, Provider> providers,
        Map<String, Model> models,
        @DefaultValue ResilienceSettings resilience,
        Map<String, List<String>> fallbacks,
        Map<String, Tenant> tenants,
        @DefaultValue RoutingSettings routing,
        @DefaultValue CacheSettings cache,
        @DefaultValue IdempotencySettings idempotency,
        @DefaultValue SemanticCacheSettings semanticCache,
        @DefaultValue MemorySettings memory,
        @DefaultValue Messaging messaging,
        @DefaultValue Benchmark benchmark) {

    public OrchestratorProperties {
        providers = providers == null ? Map.of() : Map.copyOf(providers);
        models = models == null ? Map.of() : Map.copyOf(models);
        fallbacks = fallbacks == null ? Map.of() : Map.copyOf(fallbacks);
        tenants = tenants == null ? Map.of() : Map.copyOf(tenants);
    }

    /** The fallback chain after {@code model} for a tenant: its own if configured, else the default. */
    public List<String> fallbacksFor(String tenantId, String model) {
        Tenant tenant = this.tenants.get(tenantId);
        if (tenant != null && tenant.fallbacks().containsKey(model)) {
            return tenant.fallbacks().get(model);
        }
        return this.fallbacks.getOrDefault(model, List.of());
    }

    /**
     * One tenant's settings ({@code platform.orchestrator.tenants.<tenant-id>.*}).
     *
     * @param tier             e.g. {@code standard} or {@code premium}; routing gives large tiers the large model
     * @param monthlyBudgetUsd model spend per month the router steers under (0: no budget)
     * @param fallbacks        this tenant's fallback chains, replacing the default ones per model
     */
    public record Tenant(String tier, @DefaultValue("0") double monthlyBudgetUsd, Map<String, List<String>> fallbacks) {

        public Tenant {
            fallbacks = fallbacks == null ? Map.of() : Map.copyOf(fallbacks);
        }
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
     * @param timeout    the provider SDK's own read timeout of one call; the platform's first-token, idle and total
     *                   timeouts ({@code platform.orchestrator.resilience}) are shorter and act first
     * @param maxRetries the provider SDK's own retries; 0 by default because the platform retries itself, before
     *                   the first token only and with a fallback chain (SDK retries would multiply the wait)
     * @param streamWholeAnswers true (the default): an answer the client takes whole is streamed from the provider
     *                   too, so the first-token and idle timeouts catch a provider that hangs. False: it is asked
     *                   for non-streamed, which costs the orchestrator about a fifth of the CPU (README, Benchmark,
     *                   "Wave 10"), but nothing arrives until the answer is done, so a hung provider is caught only
     *                   by {@code timeout} (or the request's deadline), and {@code timeout} must cover the longest
     *                   answer the model writes
     */
    public record Provider(ProviderKind kind, String baseUrl, String apiKey,
                           @DefaultValue("60s") Duration timeout, @DefaultValue("0") int maxRetries,
                           @DefaultValue("true") boolean streamWholeAnswers) {

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
     * @param model         the provider's own model id (defaults to the client-facing name)
     * @param contextWindow the model's context window in tokens; the prompt budget is computed against it
     * @param price         USD per 1,000 tokens, for the completion event's cost and budget-aware routing
     */
    public record Model(String provider, String model, @DefaultValue("16384") int contextWindow, Price price) {
    }

    /** @param input USD per 1,000 prompt tokens; @param output USD per 1,000 completion tokens */
    public record Price(double input, double output) {
    }

    /**
     * @param commandSpans a producer span and a {@code spring.kafka.template} timer for every command sent to guardrails
     *                     or retrieval (Spring Kafka's template observation), as before wave 9
     *                     ({@code platform.orchestrator.messaging.command-spans}, env {@code KAFKA_COMMAND_SPANS}). Off:
     *                     the command carries the asking span's trace context and the answering service's spans still
     *                     join the request's trace, without the send span; it was most of the orchestrator's own share
     *                     of a round trip (README, Benchmark, "Wave 9")
     */
    public record Messaging(@DefaultValue("false") boolean commandSpans) {
    }

    /**
     * @param streamThroughChatClient the model's answer streamed through {@code ChatClient} and its hop to another
     *                                thread per chunk, as before wave 8
     *                                ({@code platform.orchestrator.benchmark.stream-through-chat-client}); only for
     *                                {@code RequestCostBenchmark}'s side-by-side, never in a deployment
     */
    public record Benchmark(@DefaultValue("false") boolean streamThroughChatClient) {
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
     * @param maxPromptTokens  upper bound for the whole prompt (system message and conversation); the real limit
     *                         is the chosen model's context window minus the answer reserve and the tools, if smaller
     * @param answerReserve    tokens kept free for the answer when the client sets no {@code max_tokens}
     * @param version          name and version of the prompt templates, recorded with every answer (provenance)
     * @param repairTemplate   what the model is told when its answer fails the requested JSON schema
     * @param structuredOutputRepairs how many times a whole answer that fails its JSON schema is asked for again
     * @param passageTokenMemo how many rendered passages' token counts are remembered (0: every passage counted every
     *                         time); a count depends only on the text, so this changes cost, never a budget
     */
    public record Prompt(
            @DefaultValue("classpath:prompts/grounded-answer.st") Resource systemTemplate,
            @DefaultValue("classpath:prompts/context-passage.st") Resource passageTemplate,
            @DefaultValue("2000") int maxContextTokens,
            @DefaultValue("6000") int maxPromptTokens,
            @DefaultValue("1024") int answerReserve,
            @DefaultValue("grounded-answer@v1") String version,
            @DefaultValue("classpath:prompts/structured-output-repair.st") Resource repairTemplate,
            @DefaultValue("2") int structuredOutputRepairs,
            Map<String, Resource> versions,
            @DefaultValue("2048") int passageTokenMemo) {

        public Prompt {
            versions = versions == null ? Map.of() : Map.copyOf(versions);
            if (maxContextTokens < 1 || maxContextTokens >= maxPromptTokens) {
                throw new IllegalArgumentException(
                        "platform.orchestrator.prompt.max-context-tokens must be positive and smaller than max-prompt-tokens");
            }
        }
    }
}
