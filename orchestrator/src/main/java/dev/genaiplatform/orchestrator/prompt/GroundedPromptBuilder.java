package dev.genaiplatform.orchestrator.prompt;

import dev.genaiplatform.contracts.retrieval.RetrievedChunk;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.springframework.ai.template.st.StTemplateRenderer;
import org.springframework.core.io.Resource;
import org.springframework.util.StringUtils;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Builds a grounded prompt: instructions plus numbered context passages in the system message, then as
 * much of the conversation as fits. The model may only answer from the passages and must cite them as
 * {@code [n]}, which is what makes the answer checkable.
 *
 * <p>Budget policy, in this order:
 * <ol>
 *   <li><b>Passages</b> get their own budget ({@code max-context-tokens}). They are added best-first and
 *       adding stops at the first one that does not fit, so numbers follow the retrieval ranking and a
 *       weaker passage never takes the place of a stronger one.</li>
 *   <li><b>Conversation</b> gets what is left of {@code max-prompt-tokens}. The client's system messages and
 *       the newest message (the question) are always kept; older turns are kept newest-first until one
 *       does not fit, and everything older than that is dropped. Turns are dropped whole, never cut.</li>
 *   <li>If the question alone does not fit, the request fails with {@link PromptTooLongException}.</li>
 * </ol>
 * Tool turns stay attached to the call they answer: when the newest turn is a tool result, the assistant
 * turn that asked for it and its other results are kept with it; and a tool result whose call was dropped
 * is dropped too, because providers reject a result without its call.
 */
public final class GroundedPromptBuilder {

    /** Tokens the chat format spends to start the assistant's reply. */
    private static final int REPLY_PRIMING_TOKENS = 3;

    private static final String PASSAGE_SEPARATOR = "\n\n";

    private final StTemplateRenderer renderer = StTemplateRenderer.builder().build();
    private final SystemTemplate systemTemplate;
    private final Map<String, SystemTemplate> versions = new java.util.HashMap<>();
    private final PrerenderedTemplate passageTemplate;
    private final TokenCounter tokens;
    private final int maxContextTokens;
    private final int maxPromptTokens;
    private Cache<String, Integer> rememberedTokens;

    public GroundedPromptBuilder(Resource systemTemplate, Resource passageTemplate, TokenCounter tokens,
                                 int maxContextTokens, int maxPromptTokens) {
        this.systemTemplate = systemTemplate(read(systemTemplate));
        this.passageTemplate = new PrerenderedTemplate(read(passageTemplate).stripTrailing(),
                List.of("number", "documentPath", "heading", "text"), this.renderer);
        this.tokens = tokens;
        this.maxContextTokens = maxContextTokens;
        this.maxPromptTokens = maxPromptTokens;
    }

    /**
     * Remembers the token counts of up to {@code maxEntries} rendered passages (least recently used out; 0: count
     * every time). Counting is BPE over the whole text, the largest CPU share of building a prompt (wave 7 profile),
     * and a corpus's popular passages come back for many questions; a count depends on nothing but the text, so a
     * remembered count is exactly the count. The instructions' count is remembered the same way (wave 14): they are
     * the same text for every request of a prompt version, and a changed template is a different text.
     */
    public GroundedPromptBuilder withPassageTokenMemo(int maxEntries) {
        this.rememberedTokens = maxEntries <= 0 ? null : Caffeine.newBuilder().maximumSize(maxEntries).build();
        return this;
    }

    /**
     * Adds a named prompt version (e.g. {@code grounded-answer@v2}) that {@link Options#version} may pick; a name
     * not added here gets the default template.
     */
    public GroundedPromptBuilder withVersion(String version, Resource systemTemplate) {
        this.versions.put(version, systemTemplate(read(systemTemplate)));
        return this;
    }

    public boolean knowsVersion(String version) {
        return this.versions.containsKey(version);
    }

    /**
     * Per-request choices.
     *
     * @param version  the prompt version (an A/B arm's); null or unknown: the default template
     * @param preamble lines put before the instructions (the canary, the untrusted-data rule); never after the
     *                 passages, because a passage runs to the end of the system message
     */
    public record Options(String version, String preamble) {
        public static final Options DEFAULT = new Options(null, null);
    }

    /**
     * @param conversation  the client's messages after guardrails, oldest first; the last one is the question
     * @param rankedChunks  retrieval results, best first
     */
    public GroundedPrompt build(List<Turn> conversation, List<RetrievedChunk> rankedChunks) {
        return build(conversation, rankedChunks, null);
    }

    /**
     * The same within a model's window: the prompt may use at most the window minus the answer reserve and the
     * tool definitions, and never more than {@code max-prompt-tokens}.
     */
    public GroundedPrompt build(List<Turn> conversation, List<RetrievedChunk> rankedChunks, Window window) {
        return build(conversation, rankedChunks, window, Options.DEFAULT);
    }

    /** The same with a prompt version and a preamble. */
    public GroundedPrompt build(List<Turn> conversation, List<RetrievedChunk> rankedChunks, Window window,
                                Options options) {
        SystemTemplate template = options.version() != null
                ? this.versions.getOrDefault(options.version(), this.systemTemplate) : this.systemTemplate;
        String preamble = options.preamble() == null || options.preamble().isBlank() ? ""
                : options.preamble().strip() + "\n";
        int promptLimit = window == null ? this.maxPromptTokens
                : Math.min(this.maxPromptTokens, window.contextWindow() - window.answerReserve() - window.toolTokens());
        List<RetrievedChunk> passages = new ArrayList<>();
        List<String> renderedPassages = new ArrayList<>();
        List<Integer> passageCosts = new ArrayList<>();
        int contextTokens = 0;
        for (RetrievedChunk chunk : rankedChunks) {
            String passage = renderPassage(passages.size() + 1, chunk);
            int cost = passageCost(passage + PASSAGE_SEPARATOR);
            if (contextTokens + cost > Math.min(this.maxContextTokens, promptLimit / 2)) {
                break;
            }
            passages.add(chunk);
            renderedPassages.add(passage);
            passageCosts.add(cost);
            contextTokens += cost;
        }

        String context = String.join(PASSAGE_SEPARATOR, renderedPassages);
        String systemText = preamble + template.render(context);
        String instructions = preamble + template.instructions();
        int fixedTokens = this.tokens.messageTokens(systemTokens(systemText, preamble, context, renderedPassages,
                passageCosts)) + REPLY_PRIMING_TOKENS;

        int[] costs = new int[conversation.size()];   // each turn counted at most once, when first needed
        Arrays.fill(costs, -1);
        boolean[] keep = fitConversation(conversation, costs, promptLimit - fixedTokens, promptLimit);
        List<Turn> kept = new ArrayList<>();
        int conversationTokens = 0;
        int clientSystemTokens = 0;
        for (int i = 0; i < conversation.size(); i++) {
            if (keep[i]) {
                kept.add(conversation.get(i));
                int cost = cost(conversation, costs, i);
                conversationTokens += cost;
                clientSystemTokens += "system".equals(conversation.get(i).role()) ? cost : 0;
            }
        }
        TokenBudget budget = new TokenBudget(window == null ? promptLimit : window.contextWindow(),
                window == null ? 0 : window.answerReserve(), window == null ? 0 : window.toolTokens(),
                fixedTokens - contextTokens + clientSystemTokens, contextTokens, conversationTokens - clientSystemTokens,
                promptLimit, rankedChunks.size() - passages.size(), conversation.size() - kept.size(),
                TokenBudget.STRATEGY);
        return new GroundedPrompt(systemText, kept, List.copyOf(passages), fixedTokens + conversationTokens,
                conversation.size() - kept.size(), budget, instructions);
    }

    /**
     * A system template, rendered once by StringTemplate; its instructions (the template without passages) are the
     * same for every request, so they are rendered once too.
     */
    private record SystemTemplate(PrerenderedTemplate template, String instructions) {

        String render(String context) {
            return this.template.render(context).stripTrailing();
        }
    }

    private SystemTemplate systemTemplate(String text) {
        PrerenderedTemplate template = new PrerenderedTemplate(text, List.of("context"), this.renderer);
        return new SystemTemplate(template, template.render("").stripTrailing());
    }

    /**
     * The model's side of the budget.
     *
     * @param contextWindow the model's context window
     * @param answerReserve tokens kept for the answer
     * @param toolTokens    tokens of the tool definitions sent with the prompt
     */
    public record Window(int contextWindow, int answerReserve, int toolTokens) {
    }

    private String renderPassage(int number, RetrievedChunk chunk) {
        // The heading can be blank for text before a document's first heading; the path still locates it.
        String heading = StringUtils.hasText(chunk.heading()) ? chunk.heading() : chunk.documentPath();
        return this.passageTemplate.render(number, chunk.documentPath(), heading,
                chunk.text() == null ? "" : chunk.text().strip());
    }

    /** Which turns to keep; {@code costs} holds the turns' tokens counted so far (-1: not yet). */
    private boolean[] fitConversation(List<Turn> conversation, int[] costs, int budget, int promptLimit) {
        int newest = conversation.size() - 1;
        boolean[] keep = new boolean[conversation.size()];
        int used = 0;
        int oldestForced = currentToolExchangeStart(conversation);
        for (int i = 0; i <= newest; i++) {
            if (i >= oldestForced || "system".equals(conversation.get(i).role())) {
                keep[i] = true;
                used += cost(conversation, costs, i);
            }
        }
        if (used > budget) {
            throw new PromptTooLongException(promptLimit - budget + used, promptLimit);
        }
        int oldestKept = oldestForced;
        for (int i = oldestForced - 1; i >= 0; i--) {
            if (keep[i]) {
                continue;
            }
            int cost = cost(conversation, costs, i);
            if (used + cost > budget) {
                break;
            }
            keep[i] = true;
            used += cost;
            oldestKept = i;
        }
        // A tool result whose assistant call fell out of the budget cannot go alone.
        for (int i = oldestKept; i < oldestForced && conversation.get(i).isToolResult(); i++) {
            keep[i] = false;
        }
        return keep;
    }

    /**
     * Where the turns that must stay start: the newest turn, and when it is a tool result, the results
     * before it and the assistant turn whose calls they answer.
     */
    private static int currentToolExchangeStart(List<Turn> conversation) {
        int start = conversation.size() - 1;
        while (start > 0 && conversation.get(start).isToolResult()) {
            start--;
        }
        return conversation.get(conversation.size() - 1).isToolResult()
                && !conversation.get(start).toolCalls().isEmpty() ? start : conversation.size() - 1;
    }

    private int cost(List<Turn> conversation, int[] costs, int index) {
        if (costs[index] < 0) {
            costs[index] = this.tokens.countMessage(conversation.get(index).countedText());
        }
        return costs[index];
    }

    /**
     * The system message's tokens without encoding its passages a second time (wave 12: counting the whole message
     * was most of the prompt stage's CPU). cl100k splits a text into pieces before encoding them, and a line break
     * followed by a character that is not white space always ends a piece, so a text cut only at such places has the
     * tokens of its parts added up. The system message is the instructions, ending in a line break, then the
     * passages, each starting with a visible character and followed by a blank line but the last: each passage with
     * its separator was counted when it was fitted, the last is counted without it. A message of another shape (a
     * template that puts text after the passages, a passage that ends in white space and so is cut short by the final
     * strip) is counted whole. {@code GroundedPromptBuilderTests} compares both on thousands of random passages.
     * The instructions are the preamble (ending in a line break) and the template's text, which is the same for every
     * request of its version: its count is remembered (wave 14), the preamble's (a per-request canary) counted.
     */
    private int systemTokens(String systemText, String preamble, String context, List<String> passages,
                             List<Integer> costs) {
        if (passages.isEmpty() || !systemText.endsWith(context)) {
            return this.tokens.count(systemText);
        }
        String instructions = systemText.substring(0, systemText.length() - context.length());
        boolean cutAtPieceBoundaries = instructions.endsWith("\n") && passages.stream()
                .allMatch(passage -> !passage.isEmpty() && !isWhiteSpace(passage.charAt(0)));
        if (!cutAtPieceBoundaries) {
            return this.tokens.count(systemText);
        }
        int tokens = instructionTokens(instructions, preamble) + passageCost(passages.getLast());
        for (int i = 0; i < passages.size() - 1; i++) {
            tokens += costs.get(i);
        }
        return tokens;
    }

    private int instructionTokens(String instructions, String preamble) {
        String templateText = instructions.substring(preamble.length());
        if (preamble.isEmpty()) {
            return rememberedCount(templateText);
        }
        boolean cutAtPieceBoundary = preamble.endsWith("\n") && !templateText.isEmpty()
                && !isWhiteSpace(templateText.charAt(0));
        return cutAtPieceBoundary ? this.tokens.count(preamble) + rememberedCount(templateText)
                : this.tokens.count(instructions);
    }

    private static boolean isWhiteSpace(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c);
    }

    /** A rendered passage's tokens, remembered when the memo is on (the same passages come back for many questions). */
    private int passageCost(String passage) {
        return rememberedCount(passage);
    }

    private int rememberedCount(String text) {
        return this.rememberedTokens == null ? this.tokens.count(text) : this.rememberedTokens.get(text, this.tokens::count);
    }

    private static String read(Resource resource) {
        try {
            return resource.getContentAsString(StandardCharsets.UTF_8);
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot read prompt template " + resource, ex);
        }
    }
}
