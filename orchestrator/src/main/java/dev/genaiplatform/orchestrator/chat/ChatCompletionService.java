package dev.genaiplatform.orchestrator.chat;

import dev.genaiplatform.contracts.chat.ChatCompletionRecordedEvent.Outcome;
import dev.genaiplatform.contracts.guardrails.ChatMessage;
import dev.genaiplatform.contracts.guardrails.InputCheckedReply;
import dev.genaiplatform.contracts.retrieval.RetrievedChunk;
import dev.genaiplatform.orchestrator.chat.ChatCompletionException.Problem;
import dev.genaiplatform.orchestrator.chat.ChatCompletionResponse.Usage;
import dev.genaiplatform.orchestrator.chat.RequestTrace.Stage;
import dev.genaiplatform.orchestrator.citation.Citation;
import dev.genaiplatform.orchestrator.citation.CitationExtractor;
import dev.genaiplatform.orchestrator.citation.GroundingCheck;
import dev.genaiplatform.orchestrator.events.CompletionEventPublisher;
import dev.genaiplatform.orchestrator.guardrails.GuardrailsClient;
import dev.genaiplatform.orchestrator.messaging.DependencyUnavailableException;
import dev.genaiplatform.orchestrator.prompt.GroundedPrompt;
import dev.genaiplatform.orchestrator.prompt.GroundedPromptBuilder;
import dev.genaiplatform.orchestrator.prompt.TokenCounter;
import dev.genaiplatform.orchestrator.prompt.Turn;
import dev.genaiplatform.orchestrator.provider.ChatProviders;
import dev.genaiplatform.orchestrator.provider.ChatProviders.ResolvedModel;
import dev.genaiplatform.orchestrator.provider.ModelRequest;
import dev.genaiplatform.orchestrator.retrieval.RetrievalClient;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import tools.jackson.databind.json.JsonMapper;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * One chat request, step by step. Read {@link #complete} top to bottom to follow a request:
 * <ol>
 *   <li>guardrails check the input (and may mask or block it),</li>
 *   <li>retrieval finds passages for the question,</li>
 *   <li>the prompt is built from a template with numbered passages, within a token budget,</li>
 *   <li>the model answers,</li>
 *   <li>the answer's {@code [n]} markers become citations,</li>
 *   <li>a completion event is published, whatever the outcome.</li>
 * </ol>
 * {@link #stream} runs the same steps 1 to 3, then hands the model's token stream to {@link StreamingAnswer}.
 *
 * <p>The code blocks while it waits for Kafka replies and the model. That is deliberate: it runs on a
 * virtual thread (see {@code OrchestratorConfiguration}), where waiting is cheap and the code can read
 * in the order things happen.
 */
@Service
class ChatCompletionService {

    private static final Logger log = LoggerFactory.getLogger(ChatCompletionService.class);

    private final GuardrailsClient guardrails;
    private final RetrievalClient retrieval;
    private final GroundedPromptBuilder promptBuilder;
    private final ChatProviders providers;
    private final TokenCounter tokens;
    private final CompletionEventPublisher events;
    private final MeterRegistry meters;
    private final JsonMapper json;

    ChatCompletionService(GuardrailsClient guardrails, RetrievalClient retrieval, GroundedPromptBuilder promptBuilder,
                          ChatProviders providers, TokenCounter tokens, CompletionEventPublisher events,
                          MeterRegistry meters, JsonMapper json) {
        this.guardrails = guardrails;
        this.retrieval = retrieval;
        this.promptBuilder = promptBuilder;
        this.providers = providers;
        this.tokens = tokens;
        this.events = events;
        this.meters = meters;
        this.json = json;
    }

    /** A finished non-streamed answer and the latency breakdown for its {@code Server-Timing} header. */
    record CompletedAnswer(ChatCompletionResponse body, String serverTiming) {
    }

    CompletedAnswer complete(ChatCompletionRequest request, String tenantId) {
        RequestTrace trace = new RequestTrace(tenantId, request.model(), false);
        try {
            ResolvedModel model = resolveModel(request);
            GroundedPrompt prompt = prepare(request, trace);

            // 4. The model answers, through the provider that serves the model the client named.
            ChatResponse response = trace.time(Stage.MODEL, () -> model.provider()
                    .prompt(model.modelId(), prompt.messages(), modelRequest(request), false)
                    .call()
                    .chatResponse());
            trace.firstToken();
            Generation generation = response == null ? null : response.getResult();
            String answer = generation == null || generation.getOutput().getText() == null
                    ? "" : generation.getOutput().getText();
            List<ChatCompletionResponse.ToolCall> toolCalls = generation == null ? List.of()
                    : ChatCompletionResponse.ToolCall.from(generation.getOutput().getToolCalls());

            // 5. Citations: which numbered passages does the answer point at? (None for a tool-call turn.)
            List<Citation> citations = CitationExtractor.extract(answer, prompt.passages());
            Usage usage = usage(response, prompt, answer);
            String finishReason = finishReason(generation, !toolCalls.isEmpty());
            trace.tokens(usage.promptTokens(), usage.completionTokens());
            trace.finishReason(finishReason);
            ChatCompletionResponse body = ChatCompletionResponse.of(trace.requestId, trace.created, request.model(),
                    answer, toolCalls, finishReason, usage, citations);
            String serverTiming = trace.serverTiming();

            // 6. Record what happened, for evaluation and monitoring.
            finish(trace, outcome(citations, !toolCalls.isEmpty()));
            return new CompletedAnswer(body, serverTiming);
        }
        catch (RuntimeException failure) {
            throw fail(trace, failure);
        }
    }

    /**
     * Streams the answer as server-sent events. Steps 1 to 3 run before this returns, so a blocked input or
     * a silent dependency is still a plain problem+json response; the model is called when the response
     * body is subscribed.
     */
    Flux<ServerSentEvent<String>> stream(ChatCompletionRequest request, String tenantId) {
        RequestTrace trace = new RequestTrace(tenantId, request.model(), true);
        ResolvedModel model;
        GroundedPrompt prompt;
        try {
            model = resolveModel(request);
            prompt = prepare(request, trace);
        }
        catch (RuntimeException failure) {
            throw fail(trace, failure);
        }
        Flux<ChatResponse> tokenStream = model.provider()
                .prompt(model.modelId(), prompt.messages(), modelRequest(request), true)
                .stream()
                .chatResponse();

        StreamingAnswer answer = new StreamingAnswer(trace, prompt, request.includeUsage(), this.tokens, this.json);
        return answer.events(tokenStream)
                .doOnComplete(() -> finish(trace, answer.outcome()))
                .onErrorResume(failure -> {
                    ChatCompletionException problem = fail(trace, failure);
                    // Nothing sent yet: the status is not committed, so the client still gets problem+json.
                    // Once tokens went out the status is 200, so the failure travels as an error event.
                    return answer.started() ? Flux.just(answer.errorEvent(problem)) : Flux.error(problem);
                })
                .doOnCancel(() -> finish(trace, Outcome.FAILED));
    }

    /** A valid request for a model some provider serves; checked before any other service is asked. */
    private ResolvedModel resolveModel(ChatCompletionRequest request) {
        request.validate();
        return this.providers.resolve(request.model());
    }

    /** Steps 1 to 3: everything before the model call. */
    private GroundedPrompt prepare(ChatCompletionRequest request, RequestTrace trace) {

        // 1. Guardrails check the conversation before anything else reads it.
        InputCheckedReply check = trace.time(Stage.GUARDRAILS,
                () -> this.guardrails.check(trace.tenantId, trace.requestId, request.conversation()));
        trace.verdict(check.verdict());
        List<ChatMessage> conversation = forwardableMessages(check, request);
        List<Turn> turns = turns(request, conversation);

        // 2. Retrieval searches with the (possibly redacted) question: the last user message, also when the
        //    conversation ends with the client's tool results.
        String question = lastUserMessage(conversation);
        List<RetrievedChunk> chunks = trace.time(Stage.RETRIEVAL,
                () -> this.retrieval.search(trace.tenantId, trace.requestId, question));

        // 3. The prompt: instructions, numbered passages, and the conversation, within the token budget.
        GroundedPrompt prompt = trace.time(Stage.PROMPT, () -> this.promptBuilder.build(turns, chunks));
        trace.promptPassages(prompt.passageIds());
        log.info("Request {} (tenant {}): verdict {}, {} of {} passages in the prompt, ~{} prompt tokens, {} turns dropped",
                trace.requestId, trace.tenantId, check.verdict(), prompt.passages().size(), chunks.size(),
                prompt.promptTokens(), prompt.droppedMessages());
        return prompt;
    }

    /**
     * What may travel further: the redacted messages when guardrails masked something, never the originals.
     * Fails closed: a verdict without a usable body is treated as guardrails being unavailable.
     */
    private static List<ChatMessage> forwardableMessages(InputCheckedReply check, ChatCompletionRequest request) {
        boolean hasMessages = check.messages() != null && !check.messages().isEmpty();
        return switch (check.verdict()) {
            case BLOCKED -> throw ChatCompletionException.inputBlocked(check.reason());
            case ALLOWED -> hasMessages ? check.messages() : request.conversation();
            case REDACTED -> {
                if (!hasMessages) {
                    throw new DependencyUnavailableException("guardrails",
                            "guardrails redacted the input but sent no messages", null);
                }
                yield check.messages();
            }
            case null -> throw new DependencyUnavailableException("guardrails", "guardrails sent no verdict", null);
        };
    }

    /** Guardrails answer with one message per message sent; anything else is a broken reply: fail closed. */
    private static List<Turn> turns(ChatCompletionRequest request, List<ChatMessage> checked) {
        try {
            return request.turns(checked);
        }
        catch (IllegalStateException mismatch) {
            throw new DependencyUnavailableException("guardrails", mismatch.getMessage(), null);
        }
    }

    private static String lastUserMessage(List<ChatMessage> conversation) {
        for (int i = conversation.size() - 1; i >= 0; i--) {
            if ("user".equals(conversation.get(i).role())) {
                return conversation.get(i).content();
            }
        }
        return conversation.getLast().content();
    }

    private static ModelRequest modelRequest(ChatCompletionRequest request) {
        return request.modelRequest();
    }

    /** The model server's own counts when it reports them; otherwise our estimate. */
    private Usage usage(ChatResponse response, GroundedPrompt prompt, String answer) {
        var reported = response == null ? null : response.getMetadata().getUsage();
        int promptTokens = reported != null && positive(reported.getPromptTokens())
                ? reported.getPromptTokens() : prompt.promptTokens();
        int completionTokens = reported != null && positive(reported.getCompletionTokens())
                ? reported.getCompletionTokens() : this.tokens.count(answer);
        return Usage.of(promptTokens, completionTokens);
    }

    static boolean positive(Integer count) {
        return count != null && count > 0;
    }

    /**
     * The finish reason in OpenAI's words. Spring AI passes on each provider's own ({@code STOP} for OpenAI,
     * {@code end_turn} or {@code tool_use} for Anthropic, {@code stop} for Ollama); a turn with tool calls is
     * {@code tool_calls} whatever the provider said (Ollama says {@code stop}).
     */
    static String finishReason(Generation generation, boolean toolCalls) {
        if (toolCalls) {
            return "tool_calls";
        }
        String reason = generation == null ? null : generation.getMetadata().getFinishReason();
        if (reason == null || reason.isBlank()) {
            return null;
        }
        return switch (reason.toLowerCase(Locale.ROOT)) {
            case "end_turn", "stop_sequence" -> "stop";
            case "max_tokens" -> "length";
            case "tool_use" -> "tool_calls";
            case "refusal" -> "content_filter";
            default -> reason.toLowerCase(Locale.ROOT);
        };
    }

    /**
     * A turn where the model calls the client's tools is {@code ANSWERED}: the model did what was asked, and
     * the grounded answer comes in the client's next request, which is recorded on its own.
     */
    static Outcome outcome(List<Citation> citations, boolean toolCalls) {
        return toolCalls ? Outcome.ANSWERED : GroundingCheck.outcomeOf(citations);
    }

    /** Step 6, for every request that reached the service: stage timers and the completion event. */
    private void finish(RequestTrace trace, Outcome outcome) {
        trace.stageNanos().forEach((stage, nanos) -> this.meters
                .timer("orchestrator.stage", "stage", stage.metricName)
                .record(nanos, TimeUnit.NANOSECONDS));
        this.events.publish(trace.toEvent(outcome));
        log.info("Request {} (tenant {}) finished: {} in {} ms", trace.requestId, trace.tenantId, outcome,
                TimeUnit.NANOSECONDS.toMillis(trace.elapsedNanos()));
    }

    private ChatCompletionException fail(RequestTrace trace, Throwable failure) {
        ChatCompletionException problem = ChatCompletionException.from(failure).forRequest(trace.requestId);
        if (problem.problem() == Problem.INTERNAL) {
            log.error("Request {} failed unexpectedly", trace.requestId, failure);
        }
        else {
            log.warn("Request {} failed: {} ({})", trace.requestId, problem.problem().slug, problem.getMessage());
        }
        finish(trace, problem.outcome());
        return problem;
    }
}
