package dev.genaiplatform.orchestrator.memory;

import dev.genaiplatform.orchestrator.provider.ChatProviders;
import dev.genaiplatform.orchestrator.provider.ChatProviders.ResolvedModel;
import dev.genaiplatform.orchestrator.provider.ModelRequest;
import dev.genaiplatform.orchestrator.resilience.ResilientModelCalls;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.SystemMessage;
import org.springframework.ai.chat.messages.UserMessage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;

/**
 * Writes the summary of older turns with the configured summary model, through the same resilience layer as
 * answers (timeouts, breaker, bulkhead). Deterministic settings: temperature 0, at most 300 tokens.
 */
public final class ModelSummariser implements Function<String, String> {

    private final ChatProviders providers;
    private final ResilientModelCalls modelCalls;
    private final MemorySettings settings;
    private final String instructions;

    public ModelSummariser(ChatProviders providers, ResilientModelCalls modelCalls, MemorySettings settings) {
        this.providers = providers;
        this.modelCalls = modelCalls;
        this.settings = settings;
        try {
            this.instructions = settings.summaryTemplate().getContentAsString(StandardCharsets.UTF_8);
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot read the conversation summary template", ex);
        }
    }

    @Override
    public String apply(String transcript) {
        ResolvedModel model = this.providers.resolve(this.settings.summaryModel());
        List<Message> messages = List.of(new SystemMessage(this.instructions), new UserMessage(transcript));
        ModelRequest request = new ModelRequest(0.0, null, 300, null, List.of(), null, null, List.of(), null, null, null);
        StringBuilder summary = new StringBuilder();
        this.modelCalls.stream(List.of(model), m -> m.provider().prompt(m.modelId(), messages, request, true)
                                .stream().chatResponse(), true,
                        Instant.now().plus(this.modelCalls.settings().totalTimeout()), () -> false, (m, outcome) -> { })
                .collectList().block()
                .forEach(response -> {
                    if (response.getResult() != null && response.getResult().getOutput().getText() != null) {
                        summary.append(response.getResult().getOutput().getText());
                    }
                });
        return summary.toString().strip();
    }
}
