package dev.genaiplatform.orchestrator.chat;

import dev.genaiplatform.contracts.guardrails.ChatMessage;
import dev.genaiplatform.contracts.guardrails.CheckInputCommand;
import dev.genaiplatform.contracts.guardrails.InputCheckedReply;
import dev.genaiplatform.contracts.retrieval.RetrievedChunk;
import dev.genaiplatform.contracts.retrieval.TextEmbedding;
import dev.genaiplatform.orchestrator.OrchestratorProperties;
import dev.genaiplatform.orchestrator.answer.AnswerKindRules;
import dev.genaiplatform.orchestrator.answer.ContentTerms;
import dev.genaiplatform.orchestrator.chat.RequestTrace.Stage;
import dev.genaiplatform.orchestrator.guardrails.GuardrailsClient;
import dev.genaiplatform.orchestrator.guardrails.OutputGuard;
import dev.genaiplatform.orchestrator.memory.ConversationMemory;
import dev.genaiplatform.orchestrator.messaging.DependencyUnavailableException;
import dev.genaiplatform.orchestrator.prompt.GroundedPrompt;
import dev.genaiplatform.orchestrator.prompt.GroundedPromptBuilder;
import dev.genaiplatform.orchestrator.prompt.PromptPreambles;
import dev.genaiplatform.orchestrator.prompt.TokenCounter;
import dev.genaiplatform.orchestrator.prompt.Turn;
import dev.genaiplatform.orchestrator.provider.ChatProviders.ResolvedModel;
import dev.genaiplatform.orchestrator.provider.ModelRequest;
import dev.genaiplatform.orchestrator.retrieval.RetrievalClient;
import dev.genaiplatform.orchestrator.security.Caller;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Steps 3 to 5 of a chat request, everything before the model call, in the order they happen: guardrails check
 * the input, retrieval finds passages and guardrails check them as untrusted data (or they were judged when indexed),
 * the answer-kind rules decide
 * whether the model is asked at all, and the prompt is built within the chosen model's window.
 */
@Component
class PromptPreparation {

    private static final Logger log = LoggerFactory.getLogger(PromptPreparation.class);

    private final GuardrailsClient guardrails;
    private final RetrievalClient retrieval;
    private final OutputGuard outputGuard;
    private final AnswerKindRules answerKinds;
    private final GroundedPromptBuilder promptBuilder;
    private final PromptPreambles preambles;
    private final TokenCounter tokens;
    private final OrchestratorProperties properties;

    PromptPreparation(GuardrailsClient guardrails, RetrievalClient retrieval, OutputGuard outputGuard,
                      AnswerKindRules answerKinds, GroundedPromptBuilder promptBuilder, PromptPreambles preambles,
                      TokenCounter tokens, OrchestratorProperties properties) {
        this.guardrails = guardrails;
        this.retrieval = retrieval;
        this.outputGuard = outputGuard;
        this.answerKinds = answerKinds;
        this.promptBuilder = promptBuilder;
        this.preambles = preambles;
        this.tokens = tokens;
        this.properties = properties;
    }

    /**
     * What steps 3 to 5 produce: the prompt (null when no model is called), what kind of answer to give, and what
     * the output checks need to know.
     */
    record Prepared(GroundedPrompt prompt, AnswerKindRules.Decision decision,
                            OutputGuard.AnswerContext answerContext) {
    }

    /**
     * Steps 3 to 5: everything before the model call.
     *
     * @param embedded the question's embedding if the semantic cache computed it (null otherwise), handed on to
     *                 retrieval when its text is exactly the query searched for
     */
    Prepared prepare(ChatCompletionRequest request, Caller caller, RequestTrace trace, ResolvedModel model,
                     ConversationMemory.Remembered remembered, String conversationId, TextEmbedding embedded) {
        // 3. Guardrails check everything the model will read: messages, tool calls, tools, schema, stop, user.
        // The vault id lets a pseudonymising policy give the same pseudonyms on every turn and restore them.
        String vaultId = conversationId != null ? conversationId : trace.requestId;
        CheckInputCommand command = withVault(request.checkCommand(trace.requestId), vaultId);
        InputCheckedReply check = trace.time(Stage.GUARDRAILS,
                () -> this.guardrails.check(caller, trace.requestId, command));
        trace.verdict(check.verdict());
        trace.inputCheck = AnswerTraces.input(check);
        trace.note(Stage.GUARDRAILS, AnswerTraces.decision(check.verdict()),
                (check.findings() == null ? 0 : check.findings().size()) + " findings");
        List<ChatMessage> conversation = forwardableMessages(check, request);
        trace.modelRequest = checkedModelRequest(request.modelRequest(), check);
        List<Turn> turns = turns(request, conversation);
        boolean hasHistory = turns.stream().filter(turn -> !"system".equals(turn.role())).count() > 1
                || remembered != null && !remembered.asTurns().isEmpty();
        boolean needsSources = !request.usesTools() && !request.wantsJson() && !turns.getLast().isToolResult();
        if (remembered != null) {
            List<Turn> withHistory = new ArrayList<>(remembered.asTurns());
            withHistory.addAll(turns);
            turns = withHistory;
        }

        // 4. Retrieval searches with the (possibly redacted) question, in the vector stores the client named; each
        // passage is then checked as untrusted data: one carrying instructions is dropped, a suspicious one fenced.
        String question = lastUserMessage(conversation);
        trace.question = question;
        trace.retrievalQuery = question;
        List<Turn> promptTurns = turns;
        TextEmbedding queryEmbedding = queryEmbedding(question, embedded, check.questionEmbedding());
        // A passage judged when it was indexed, under the policy guardrails named for this tenant a moment ago, is not
        // sent to guardrails again; the others are, in one round trip (none when all were judged at indexing).
        List<OutputGuard.ScreenedPassage> screened = trace.time(Stage.RETRIEVAL, () -> this.outputGuard.screen(caller,
                trace.requestId, this.retrieval.search(caller, trace.requestId, question, request.vectorStoreIds(),
                        queryEmbedding, request.hyde()), check.untrustedDataPolicy()));
        trace.screenedPassages = screened;
        List<RetrievedChunk> chunks = AnswerTraces.usable(screened);
        Set<String> terms = ContentTerms.of(question);
        Map<RetrievedChunk, Double> relevanceOf = new IdentityHashMap<>();
        Map<String, Double> relevance = new LinkedHashMap<>();
        screened.forEach(p -> {
            double share = AnswerKindRules.relevance(terms, p.chunk());
            relevanceOf.put(p.chunk(), share);
            relevance.put(p.chunk().chunkId(), Math.round(share * 100) / 100.0);
        });
        trace.passageRelevance = relevance;

        // 4b. Is there anything to answer from, and is it clear what is asked? (each passage's relevance as above)
        AnswerKindRules.Decision decision = this.answerKinds.decide(question, needsSources, hasHistory, chunks,
                chunk -> relevanceOf.containsKey(chunk) ? relevanceOf.get(chunk) : AnswerKindRules.relevance(terms, chunk));
        long dropped = screened.stream().filter(OutputGuard.ScreenedPassage::dropped).count();
        long fenced = screened.stream().filter(OutputGuard.ScreenedPassage::fenced).count();
        String why = switch (decision) {
            case AnswerKindRules.Abstain abstain -> "abstained: " + abstain.why();
            case AnswerKindRules.Clarify clarify -> "clarifying: " + clarify.why();
            case AnswerKindRules.Answer answer -> null;
        };
        trace.note(Stage.RETRIEVAL, screened.size() + " passages", String.join("; ", java.util.stream.Stream.of(
                dropped > 0 ? dropped + " dropped as untrusted" : null, fenced > 0 ? fenced + " fenced" : null, why)
                .filter(java.util.Objects::nonNull).toList()));
        if (!(decision instanceof AnswerKindRules.Answer)) {
            return new Prepared(null, decision, null);
        }

        // 5. The prompt, within the chosen model's window, keeping room for the answer and the tool definitions.
        int answerReserve = request.modelRequest().answerTokenLimit() != null
                ? request.modelRequest().answerTokenLimit() : this.properties.prompt().answerReserve();
        GroundedPromptBuilder.Window window = new GroundedPromptBuilder.Window(model.contextWindow(), answerReserve,
                this.tokens.count(request.toolsText()));
        String canary = this.outputGuard.settings().enabled() ? "cnry-" + UUID.randomUUID().toString().substring(0, 8) : null;
        String preamble = this.preambles.preamble(canary, fenced > 0);
        GroundedPrompt prompt = trace.time(Stage.PROMPT, () -> this.promptBuilder.build(promptTurns, chunks, window,
                new GroundedPromptBuilder.Options(trace.promptVersion, preamble)));
        trace.note(Stage.PROMPT, prompt.promptTokens() + " of " + prompt.budget().promptLimit() + " tokens",
                trace.promptVersion);
        trace.promptPassages(prompt.passageIds());
        log.info("Request {} (tenant {}): verdict {}, {} of {} passages in the prompt, ~{} prompt tokens, {} turns dropped",
                trace.requestId, trace.tenantId, check.verdict(), prompt.passages().size(), screened.size(),
                prompt.promptTokens(), prompt.droppedMessages());
        // The instructions guardrails watch for in answers, minus the sentence the model is told to say word for word
        // when it does not know: that "leak" is the answer the prompt asks for.
        String watched = prompt.instructions().replace(this.answerKinds.abstainMessage(), "");
        return new Prepared(prompt, decision, new OutputGuard.AnswerContext(trace.requestId, canary, watched, vaultId));
    }

    /**
     * The question's vector, if this request already has it for exactly the text retrieval will search for: the
     * semantic cache's (computed here), else guardrails' (computed for its classifier). Null when neither matches,
     * e.g. when guardrails masked the question after the semantic cache embedded the original; retrieval then
     * embeds the query itself.
     */
    static TextEmbedding queryEmbedding(String query, TextEmbedding semanticCache, TextEmbedding guardrails) {
        for (TextEmbedding candidate : new TextEmbedding[] {semanticCache, guardrails}) {
            if (candidate != null && candidate.matches(TextEmbedding.MINILM_L6_V2_Q, query)) {
                return candidate;
            }
        }
        return null;
    }

    private static CheckInputCommand withVault(CheckInputCommand command, String vaultId) {
        return new CheckInputCommand(command.requestId(), command.messages(), command.tools(),
                command.responseFormatSchema(), command.stop(), command.user(), command.policy(), vaultId);
    }

    /**
     * What may travel further: the redacted messages when guardrails masked something, never the originals.
     * Fails closed: a verdict without a usable body is treated as guardrails being unavailable.
     */
    private static List<ChatMessage> forwardableMessages(InputCheckedReply check, ChatCompletionRequest request) {
        boolean hasMessages = check.messages() != null && !check.messages().isEmpty();
        return switch (check.verdict()) {
            case BLOCKED -> throw ChatCompletionException.inputBlocked(check.reason(),
                    AnswerTraces.findings(check.findings(), check.verdict()));
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

    /**
     * The client's tools, schema, stop sequences and user as guardrails let them through: when they masked
     * something there (an address in a tool description, say), the model gets the masked text, never the original.
     * Parts guardrails did not echo back stay as the client sent them.
     */
    static ModelRequest checkedModelRequest(ModelRequest original, InputCheckedReply check) {
        List<org.springframework.ai.tool.definition.ToolDefinition> tools = original.tools();
        List<dev.genaiplatform.contracts.guardrails.ToolDefinition> checkedTools = check.tools();
        if (checkedTools != null && checkedTools.size() == tools.size() && !tools.isEmpty()) {
            List<org.springframework.ai.tool.definition.ToolDefinition> masked = new ArrayList<>();
            for (int i = 0; i < tools.size(); i++) {
                var checked = checkedTools.get(i);
                masked.add(org.springframework.ai.tool.definition.ToolDefinition.builder()
                        .name(tools.get(i).name()) // the name the model must call back; guardrails block odd names
                        .description(checked.description() != null ? checked.description() : tools.get(i).description())
                        .inputSchema(checked.parametersSchema() != null ? checked.parametersSchema() : tools.get(i).inputSchema())
                        .build());
            }
            tools = masked;
        }
        ModelRequest.ResponseFormat format = original.responseFormat();
        if (format != null && format.jsonSchema() && check.responseFormatSchema() != null) {
            format = new ModelRequest.ResponseFormat(format.type(), check.responseFormatSchema(), format.strict());
        }
        List<String> stop = check.stop() != null && check.stop().size() == original.stop().size() ? check.stop() : original.stop();
        String user = original.user() != null && check.user() != null ? check.user() : original.user();
        return new ModelRequest(original.temperature(), original.topP(), original.maxTokens(),
                original.maxCompletionTokens(), stop, original.seed(), user, tools, original.toolChoice(),
                original.parallelToolCalls(), format);
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
}
