package dev.genaiplatform.orchestrator.chat;

import dev.genaiplatform.orchestrator.cache.StoredAnswer;
import dev.genaiplatform.orchestrator.prompt.GroundedPrompt;
import dev.genaiplatform.orchestrator.prompt.TokenCounter;
import dev.genaiplatform.orchestrator.provider.ChatProviders;
import dev.genaiplatform.orchestrator.provider.ModelRequest;
import dev.genaiplatform.orchestrator.resilience.ResilientModelCalls;
import dev.genaiplatform.orchestrator.structured.JsonSchemaCheck;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.UserMessage;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Structured output that holds: an answer that fails the requested JSON schema is asked for again, with the
 * validation errors, from the model that gave it, at most {@code prompt.structured-output-repairs} times. The answer
 * kept is the last one; the result says how many it took and whether it holds. A streamed answer is held back and
 * repaired the same way before any of it is sent (see {@code ChatCompletionService.heldStream}). Rejected answers' tokens are added
 * to the request's usage, because they were paid for.
 */
final class SchemaRepair {

    private final JsonSchemaCheck check;
    private final String template;
    private final int maxRepairs;
    private final ChatProviders providers;
    private final ResilientModelCalls modelCalls;
    private final TokenCounter tokens;
    private final MeterRegistry meters;

    SchemaRepair(JsonSchemaCheck check, String template, int maxRepairs, ChatProviders providers,
                 ResilientModelCalls modelCalls, TokenCounter tokens, MeterRegistry meters) {
        this.check = check;
        this.template = template;
        this.maxRepairs = maxRepairs;
        this.providers = providers;
        this.modelCalls = modelCalls;
        this.tokens = tokens;
        this.meters = meters;
    }

    /** Checks the answer in {@code current}, re-asking while it fails; {@code current} holds the answer kept. */
    PlatformMetadata.StructuredOutput hold(String schema, ModelRequest request, Instant deadline, RequestTrace trace,
                                           GroundedPrompt prompt, AtomicReference<AnswerAccumulator> current) {
        for (int attempt = 1; ; attempt++) {
            String text = current.get().text();
            JsonSchemaCheck.Result result = this.check.check(schema, text);
            if (result.valid() || attempt > this.maxRepairs) {
                this.meters.counter("orchestrator.structured.output", "valid", Boolean.toString(result.valid()),
                        "attempts", Integer.toString(attempt)).increment();
                return new PlatformMetadata.StructuredOutput(attempt, result.valid(), result.errors());
            }
            StoredAnswer rejected = current.get().finish(trace.requestId, trace.servedModel);
            trace.repairPromptTokens += rejected.promptTokens();
            trace.repairCompletionTokens += rejected.completionTokens();
            List<Message> messages = new ArrayList<>(prompt.messages());
            messages.add(new AssistantMessage(text));
            messages.add(new UserMessage(this.template.replace("{errors}", "- " + String.join("\n- ", result.errors()))));
            AnswerAccumulator next = new AnswerAccumulator(prompt, this.tokens);
            this.modelCalls.stream(List.of(this.providers.resolve(trace.servedModel)),
                            model -> model.provider().whole(model.modelId(), messages, request),
                            true, deadline, () -> false,
                            (model, outcome) -> trace.attempts.add(model.name() + ":" + outcome + "(repair)"))
                    .collectList().block().forEach(next::accept);
            current.set(next);
        }
    }
}
