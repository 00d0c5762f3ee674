package dev.genaiplatform.orchestrator.chat;

import dev.genaiplatform.contracts.chat.ChatCompletionRecordedEvent.Outcome;
import dev.genaiplatform.orchestrator.chat.RequestTrace.Stage;
import dev.genaiplatform.orchestrator.citation.Citation;
import dev.genaiplatform.orchestrator.citation.CitationExtractor;
import dev.genaiplatform.orchestrator.prompt.GroundedPrompt;
import dev.genaiplatform.orchestrator.prompt.TokenCounter;
import org.springframework.ai.chat.metadata.Usage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.http.codec.ServerSentEvent;
import reactor.core.publisher.Flux;
import tools.jackson.databind.json.JsonMapper;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns the model's token stream into OpenAI {@code chat.completion.chunk} events for one request.
 *
 * <p>Each token is forwarded the moment it arrives; nothing is buffered, because the time to the first
 * token is what a user feels. The text is also collected on the side, since citations can only be found
 * once the whole answer is known: they travel on the finish chunk.
 *
 * <p>Token counts: the model server is asked to report usage at the end of the stream; when it does not,
 * the answer is counted here with the same tokenizer the prompt budget uses.
 */
final class StreamingAnswer {

    private static final String DONE = "[DONE]";

    private final RequestTrace trace;
    private final GroundedPrompt prompt;
    private final boolean includeUsage;
    private final TokenCounter tokens;
    private final JsonMapper json;

    private final StringBuilder answer = new StringBuilder();
    private long modelStartNanos;
    private boolean started;
    private boolean roleSent;
    private int toolCallsSent;
    private String finishReason;
    private Integer reportedPromptTokens;
    private Integer reportedCompletionTokens;
    private Outcome outcome;

    StreamingAnswer(RequestTrace trace, GroundedPrompt prompt, boolean includeUsage, TokenCounter tokens,
                    JsonMapper json) {
        this.trace = trace;
        this.prompt = prompt;
        this.includeUsage = includeUsage;
        this.tokens = tokens;
        this.json = json;
    }

    /** Content chunks as the model produces them, then the finish chunk with the citations, the usage chunk, [DONE]. */
    Flux<ServerSentEvent<String>> events(Flux<ChatResponse> modelStream) {
        Flux<ServerSentEvent<String>> content = modelStream
                .doOnSubscribe(subscription -> this.modelStartNanos = System.nanoTime())
                .concatMapIterable(this::onModelResponse);
        return Flux.concat(content, Flux.defer(() -> Flux.fromIterable(closingEvents())))
                .doOnNext(event -> this.started = true);
    }

    /** True once an event went to the client: from then on the HTTP status is committed. */
    boolean started() {
        return this.started;
    }

    /** How the answer ended; known once the stream completed. */
    Outcome outcome() {
        return this.outcome;
    }

    /** The error event OpenAI sends when a stream fails midway. */
    ServerSentEvent<String> errorEvent(ChatCompletionException problem) {
        return event(Map.of("error", Map.of(
                "message", problem.getMessage(),
                "type", problem.problem().openAiType,
                "code", problem.problem().code)));
    }

    private List<ServerSentEvent<String>> onModelResponse(ChatResponse response) {
        Usage usage = response.getMetadata().getUsage();
        if (usage != null && ChatCompletionService.positive(usage.getPromptTokens())) {
            this.reportedPromptTokens = usage.getPromptTokens();
        }
        if (usage != null && ChatCompletionService.positive(usage.getCompletionTokens())) {
            this.reportedCompletionTokens = usage.getCompletionTokens();
        }
        Generation generation = response.getResult();
        if (generation == null) {
            return List.of();   // e.g. the final usage-only chunk
        }
        String reason = ChatCompletionService.finishReason(generation, false);
        if (reason != null) {
            this.finishReason = reason;
        }
        List<ServerSentEvent<String>> events = new ArrayList<>(1);
        String text = generation.getOutput().getText();
        if (text != null && !text.isEmpty()) {
            this.trace.firstToken();
            this.answer.append(text);
            events.add(event(ChatCompletionChunk.content(this.trace.requestId, this.trace.created,
                    this.trace.model, nextRole(), text)));
        }
        // Spring AI hands over a tool call once it is complete; each goes out as one delta with its index.
        for (ChatCompletionResponse.ToolCall call : ChatCompletionResponse.ToolCall.from(generation.getOutput().getToolCalls())) {
            this.trace.firstToken();
            events.add(event(ChatCompletionChunk.toolCall(this.trace.requestId, this.trace.created,
                    this.trace.model, nextRole(), this.toolCallsSent++, call)));
        }
        return events;
    }

    /** OpenAI names the role in the first delta only. */
    private String nextRole() {
        String role = this.roleSent ? null : "assistant";
        this.roleSent = true;
        return role;
    }

    private List<ServerSentEvent<String>> closingEvents() {
        this.trace.stageTook(Stage.MODEL, System.nanoTime() - this.modelStartNanos);
        String text = this.answer.toString();
        List<Citation> citations = CitationExtractor.extract(text, this.prompt.passages());
        boolean toolCalls = this.toolCallsSent > 0;
        this.outcome = ChatCompletionService.outcome(citations, toolCalls);
        ChatCompletionResponse.Usage usage = ChatCompletionResponse.Usage.of(
                this.reportedPromptTokens != null ? this.reportedPromptTokens : this.prompt.promptTokens(),
                this.reportedCompletionTokens != null ? this.reportedCompletionTokens : this.tokens.count(text));
        this.trace.tokens(usage.promptTokens(), usage.completionTokens());
        String reason = toolCalls ? "tool_calls" : this.finishReason != null ? this.finishReason : "stop";
        this.trace.finishReason(reason);

        String id = this.trace.requestId;
        long created = this.trace.created;
        String model = this.trace.model;
        List<ServerSentEvent<String>> closing = new ArrayList<>(4);
        closing.add(event(ChatCompletionChunk.finish(id, created, model, reason, citations)));
        if (this.includeUsage) {
            closing.add(event(ChatCompletionChunk.usage(id, created, model, usage)));
        }
        closing.add(data(DONE));
        return closing;
    }

    private ServerSentEvent<String> event(Object payload) {
        return data(this.json.writeValueAsString(payload));
    }

    /**
     * Spring writes {@code data:} followed by our text; OpenAI writes {@code data: } with a space. The
     * leading space makes the bytes match OpenAI's, and SSE parsers drop it either way.
     */
    private static ServerSentEvent<String> data(String text) {
        return ServerSentEvent.builder(" " + text).build();
    }
}
