package dev.genaiplatform.orchestrator.provider;

import dev.genaiplatform.orchestrator.OrchestratorProperties;
import io.micrometer.observation.ObservationRegistry;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Every configured provider, built once at startup, and the map from the model names clients use to a
 * provider and that provider's own model id. Several providers live side by side, so routing can later
 * pick between them by name; switching a model to another provider is a configuration change.
 */
public final class ChatProviders {

    private final Map<String, ChatProvider> providers;
    private final Map<String, ResolvedModel> models;

    ChatProviders(Map<String, ChatProvider> providers, Map<String, OrchestratorProperties.Model> models) {
        this.providers = Map.copyOf(providers);
        Map<String, ResolvedModel> resolved = new LinkedHashMap<>();
        models.forEach((clientName, model) -> {
            ChatProvider provider = this.providers.get(model.provider());
            if (provider == null) {
                throw new IllegalStateException("platform.orchestrator.models." + clientName + ".provider names '"
                        + model.provider() + "', which is not under platform.orchestrator.providers "
                        + this.providers.keySet());
            }
            String modelId = model.model() != null && !model.model().isBlank() ? model.model() : clientName;
            resolved.put(clientName, new ResolvedModel(clientName, provider, modelId, model.contextWindow()));
        });
        this.models = resolved;
    }

    /** Builds one Spring AI chat model per configured provider, by its kind. */
    public static ChatProviders create(OrchestratorProperties properties, ObservationRegistry observations) {
        Map<String, ChatProvider> providers = new LinkedHashMap<>();
        properties.providers().forEach((name, settings) -> providers.put(name, switch (settings.kind()) {
            case OPENAI -> OpenAiChatProvider.create(name, settings, properties.resilience(),
                    observations);
            case OLLAMA -> OllamaChatProvider.create(name, settings, observations);
            case ANTHROPIC -> AnthropicChatProvider.create(name, settings, observations);
        }));
        return new ChatProviders(providers, properties.models());
    }

    /** The provider and model id behind a client's model name; {@link UnknownModelException} if none. */
    public ResolvedModel resolve(String clientModel) {
        ResolvedModel model = this.models.get(clientModel);
        if (model == null) {
            throw new UnknownModelException(clientModel);
        }
        return model;
    }

    /** The model names clients may use, in configuration order. */
    public Set<String> modelNames() {
        return this.models.keySet();
    }

    /**
     * A client-facing model name bound to its provider.
     *
     * @param name     the name the client sends in {@code model}
     * @param provider the provider that serves it
     * @param modelId  the provider's own id for the model
     * @param contextWindow the model's context window in tokens
     */
    public record ResolvedModel(String name, ChatProvider provider, String modelId, int contextWindow) {
    }

    /** Whether a client-facing name is configured. */
    public boolean serves(String clientModel) {
        return this.models.containsKey(clientModel);
    }

    /** The client asked for a model no provider serves. */
    public static final class UnknownModelException extends RuntimeException {

        public UnknownModelException(String model) {
            super("The model '" + model + "' does not exist or you do not have access to it.");
        }
    }
}
