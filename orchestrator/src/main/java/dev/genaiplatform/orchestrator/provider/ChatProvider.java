package dev.genaiplatform.orchestrator.provider;

import dev.genaiplatform.orchestrator.OrchestratorProperties;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.client.ChatClientAttributes;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.model.tool.ToolCallingChatOptions;
import org.springframework.ai.tool.ToolCallback;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;

/**
 * One configured model provider: a Spring AI {@link ChatModel} built from configuration, the
 * {@link ChatClient} over it, and the translation of a {@link ModelRequest} into that provider's options.
 * One subclass per provider kind; each knows its wire protocol only through Spring AI.
 */
public abstract sealed class ChatProvider permits OpenAiChatProvider, OllamaChatProvider, AnthropicChatProvider {

    /** Where a whole answer's one blocking call waits: a virtual thread, so the caller's timeouts stay free to act. */
    private static final Scheduler WHOLE_CALLS = Schedulers.fromExecutor(
            Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("model-call-", 0).factory()));

    private final String name;
    private final ChatModel chatModel;
    private final ChatClient chatClient;
    private final boolean streamWholeAnswers;
    private final Duration callTimeout;

    ChatProvider(String name, OrchestratorProperties.Provider settings, ChatModel chatModel,
                 ObservationRegistry observations) {
        this.name = name;
        this.chatModel = chatModel;
        this.chatClient = chatClient(chatModel, observations);
        this.streamWholeAnswers = settings.streamWholeAnswers();
        this.callTimeout = settings.timeout();
    }

    /**
     * The client over one model. Spring AI 2 runs tools in a {@code ToolCallingAdvisor} that
     * {@code ChatClient} adds to every request by default; here it is switched off, because the only
     * tools a request carries are the client's, and the client runs them itself. The model's tool calls
     * therefore come back in the response instead of being executed.
     */
    static ChatClient chatClient(ChatModel chatModel, ObservationRegistry observations) {
        return ChatClient.builder(chatModel, observations, null, null)
                .defaultAdvisors(advisors -> advisors.param(
                        ChatClientAttributes.TOOL_CALLING_ADVISOR_AUTO_REGISTER.getKey(), false))
                .build();
    }

    /** The name this provider has in configuration ({@code platform.orchestrator.providers.<name>}). */
    public String name() {
        return this.name;
    }

    /** A ready-to-send request: the messages, the options for {@code modelId}, and the client's tools. */
    public ChatClient.ChatClientRequestSpec prompt(String modelId, List<Message> messages, ModelRequest request,
                                                   boolean streaming) {
        ChatClient.ChatClientRequestSpec spec = this.chatClient.prompt()
                .messages(messages)
                .options(options(modelId, request, streaming));
        if (!request.tools().isEmpty()) {
            spec.toolCallbacks(request.tools().stream().<ToolCallback>map(ClientToolCallback::new).toList());
        }
        return spec;
    }

    /**
     * The chat flow's streamed call, straight to the {@link ChatModel}: the prompt {@link #prompt} would build (the
     * model's default options, then this call's, then the client's tools as definitions only, as Spring AI's
     * {@code DefaultChatClientUtils} does), without {@code ChatClient}'s stream advisor, which moves every chunk onto
     * Reactor's {@code boundedElastic} threads ({@code publishOn}) before the caller sees it. The chat flow's own
     * operators decide where chunks go (the output checks hop to virtual threads themselves), so that was one more
     * thread handoff per chunk (README, Benchmark, "Wave 8"). Tools are never run here either: only Spring AI's
     * tool-calling advisor would run them, and a bare model has none.
     */
    public Flux<ChatResponse> stream(String modelId, List<Message> messages, ModelRequest request) {
        return this.chatModel.stream(bare(modelId, messages, request, true));
    }

    /**
     * The chat flow's call for an answer the client takes whole: streamed like {@link #stream} unless this provider
     * is set to answer whole answers non-streamed ({@link #answersWholeUnstreamed()}); then one blocking
     * {@link ChatModel#call} on a virtual thread, emitting the whole answer as a single response.
     */
    public Flux<ChatResponse> whole(String modelId, List<Message> messages, ModelRequest request) {
        if (this.streamWholeAnswers) {
            return stream(modelId, messages, request);
        }
        return Mono.fromCallable(() -> this.chatModel.call(bare(modelId, messages, request, false)))
                .subscribeOn(WHOLE_CALLS).flux();
    }

    /**
     * True when a whole answer is asked for non-streamed ({@code stream-whole-answers: false}): nothing arrives
     * before the answer is done, so only {@link #callTimeout()} bounds the wait for it.
     */
    public boolean answersWholeUnstreamed() {
        return !this.streamWholeAnswers;
    }

    /** The longest one call of this provider may take ({@code platform.orchestrator.providers.<name>.timeout}). */
    public Duration callTimeout() {
        return this.callTimeout;
    }

    private Prompt bare(String modelId, List<Message> messages, ModelRequest request, boolean streaming) {
        ChatOptions.Builder<?> options = this.chatModel.getOptions().mutate();
        options.combineWith(options(modelId, request, streaming));
        if (!request.tools().isEmpty() && options instanceof ToolCallingChatOptions.Builder<?> tools) {
            tools.toolCallbacks(request.tools().stream().<ToolCallback>map(ClientToolCallback::new).toList());
        }
        return Prompt.builder().messages(messages).chatOptions(options.build()).build();
    }

    /** The provider's own options for one call; unset fields fall back to the model's defaults. */
    abstract ChatOptions.Builder<?> options(String modelId, ModelRequest request, boolean streaming);

    static List<String> stopOrNull(ModelRequest request) {
        return request.stop().isEmpty() ? null : request.stop();
    }
}
