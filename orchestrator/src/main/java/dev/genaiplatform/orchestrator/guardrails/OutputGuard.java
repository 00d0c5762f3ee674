package dev.genaiplatform.orchestrator.guardrails;

import dev.genaiplatform.contracts.Topics;
import dev.genaiplatform.contracts.guardrails.CheckOutputCommand;
import dev.genaiplatform.contracts.guardrails.Finding;
import dev.genaiplatform.contracts.guardrails.OutputCheckedReply;
import dev.genaiplatform.contracts.guardrails.PassageVerdict;
import dev.genaiplatform.contracts.guardrails.UntrustedData;
import dev.genaiplatform.contracts.guardrails.Verdict;
import dev.genaiplatform.contracts.retrieval.RetrievedChunk;
import dev.genaiplatform.orchestrator.OrchestratorProperties;
import dev.genaiplatform.orchestrator.messaging.DependencyUnavailableException;
import dev.genaiplatform.orchestrator.messaging.CommandTraceContext;
import dev.genaiplatform.orchestrator.messaging.KafkaRequestReply;
import dev.genaiplatform.orchestrator.security.Caller;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.kafka.requestreply.ReplyingKafkaTemplate;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.List;

/**
 * Asks guardrails about text that did not come from the client, over {@value Topics#GUARDRAILS_CHECK_OUTPUT} and
 * {@value Topics#GUARDRAILS_OUTPUT_CHECKED}: retrieved passages before they go into a prompt (indirect injection;
 * those judged when they were indexed, under the tenant's current policy, are not sent again),
 * and the model's answer, whole or window by window, before the user sees it (leaks of the system prompt or its
 * canary, exfiltration links, PII; pseudonyms restored). Fails closed: no verdict, no text.
 */
@Component
public class OutputGuard {

    /** One output check, a round trip to guardrails (a fake one in unit tests). */
    interface Asker {
        OutputCheckedReply ask(String token, String tenantId, String requestId, CheckOutputCommand command);
    }

    private final Asker requestReply;
    private final OutputCheckSettings settings;

    @Autowired
    OutputGuard(ReplyingKafkaTemplate<String, CheckOutputCommand, OutputCheckedReply> template,
                OrchestratorProperties properties, OutputCheckSettings settings, CommandTraceContext traceContext) {
        this(new KafkaRequestReply<>(template, "guardrails", Topics.GUARDRAILS_CHECK_OUTPUT,
                properties.guardrails().timeout(), traceContext)::ask, settings);
    }

    OutputGuard(Asker requestReply, OutputCheckSettings settings) {
        this.requestReply = requestReply;
        this.settings = settings;
    }

    public OutputCheckSettings settings() {
        return this.settings;
    }

    /**
     * A retrieved passage after the untrusted-data check.
     *
     * @param chunk    the passage to put in the prompt (its text fenced when {@code fenced}); the original when dropped
     * @param dropped  guardrails blocked it: it carries instructions and stays out of the prompt
     * @param fenced   its text is wrapped in the untrusted-data delimiters
     * @param flagged  guardrails found something in it (dropped or fenced)
     * @param findings what was found, without text
     * @param injectionScore the injection score of the passage
     * @param judged   when its verdict was reached: {@link #JUDGED_AT_INDEXING} (stored with the passage, valid
     *                 under the tenant's current policy), {@link #JUDGED_PER_REQUEST}, or null when not checked
     */
    public record ScreenedPassage(RetrievedChunk chunk, boolean dropped, boolean fenced, boolean flagged,
                                  List<Finding> findings, Double injectionScore, String judged) {

        public static final String JUDGED_AT_INDEXING = "indexing";
        public static final String JUDGED_PER_REQUEST = "request";

        /** A passage judged by this request's check. */
        public ScreenedPassage(RetrievedChunk chunk, boolean dropped, boolean fenced, boolean flagged,
                               List<Finding> findings, Double injectionScore) {
            this(chunk, dropped, fenced, flagged, findings, injectionScore, JUDGED_PER_REQUEST);
        }

        static ScreenedPassage unchecked(RetrievedChunk chunk) {
            return new ScreenedPassage(chunk, false, false, false, List.of(), null, null);
        }
    }

    /** Every passage checked by guardrails in this request, as before wave 11 (stored verdicts ignored). */
    public List<ScreenedPassage> screen(Caller caller, String requestId, List<RetrievedChunk> passages) {
        return screen(caller, requestId, passages, null);
    }

    /**
     * Checks the passages of one search. A passage whose verdict was judged when it was indexed, under the policy
     * guardrails named for this tenant in this request's input check ({@code untrustedDataPolicy}), is used as
     * judged: dropped when blocked, fenced here with a fresh delimiter when flagged (or when every passage is
     * fenced). Every other passage (no stored verdict, another policy's, no current fingerprint) goes to guardrails
     * in ONE round trip ({@link CheckOutputCommand#untrusted}), which answers one verdict per passage in
     * {@code items}, in order; no round trip when none is left. Fails closed: a reply without a verdict, or whose
     * items do not pair one to one with the passages sent, is treated as guardrails being unavailable, exactly as
     * no reply at all.
     *
     * @param untrustedDataPolicy the fingerprint from this request's input check; null uses no stored verdict
     */
    public List<ScreenedPassage> screen(Caller caller, String requestId, List<RetrievedChunk> passages,
                                        String untrustedDataPolicy) {
        if (!this.settings.enabled() || !this.settings.screenPassages() || passages.isEmpty()) {
            return passages.stream().map(ScreenedPassage::unchecked).toList();
        }
        String current = this.settings.useIndexedVerdicts() ? untrustedDataPolicy : null;
        ScreenedPassage[] screened = new ScreenedPassage[passages.size()];
        List<Integer> unjudged = new ArrayList<>(passages.size());
        for (int i = 0; i < passages.size(); i++) {
            RetrievedChunk chunk = passages.get(i);
            if (current != null && chunk.verdict() != null && chunk.verdict().judgedUnder(current)
                    && chunk.verdict().verdict() != Verdict.REDACTED) {
                screened[i] = judgedAtIndexing(chunk, chunk.verdict());
            } else {
                unjudged.add(i);
            }
        }
        if (!unjudged.isEmpty()) {
            List<String> texts = unjudged.stream().map(passages::get)
                    .map(chunk -> chunk.text() == null ? "" : chunk.text()).toList();
            OutputCheckedReply reply = this.requestReply.ask(caller.token(), caller.tenantId(), requestId,
                    CheckOutputCommand.untrusted(requestId, CheckOutputCommand.SOURCE_RETRIEVED_CHUNK, texts, null));
            List<OutputCheckedReply> items = reply.items();
            if (reply.verdict() == null || items == null || items.size() != texts.size()
                    || items.stream().anyMatch(item -> item == null || item.verdict() == null)) {
                throw new DependencyUnavailableException("guardrails", "guardrails answered "
                        + (items == null ? "no" : items.size()) + " verdicts for " + texts.size() + " passages", null);
            }
            for (int k = 0; k < unjudged.size(); k++) {
                int i = unjudged.get(k);
                screened[i] = screened(passages.get(i), items.get(k));
            }
        }
        return List.of(screened);
    }

    /** A passage as judged when it was indexed; the fence (with its random id) is fresh for this request. */
    private ScreenedPassage judgedAtIndexing(RetrievedChunk chunk, PassageVerdict verdict) {
        List<Finding> findings = verdict.findings();
        boolean flagged = !findings.isEmpty() || verdict.verdict() != Verdict.ALLOWED;
        if (verdict.verdict() == Verdict.BLOCKED) {
            return new ScreenedPassage(chunk, true, false, true, findings, verdict.injectionScore(),
                    ScreenedPassage.JUDGED_AT_INDEXING);
        }
        String text = chunk.text() == null ? "" : chunk.text();
        boolean fence = (flagged || this.settings.spotlight() == OutputCheckSettings.Spotlight.ALL) && !text.isBlank();
        return new ScreenedPassage(fence ? chunk.withText(UntrustedData.fence(text)) : chunk, false, fence, flagged,
                findings, verdict.injectionScore(), ScreenedPassage.JUDGED_AT_INDEXING);
    }

    private ScreenedPassage screened(RetrievedChunk chunk, OutputCheckedReply reply) {
        List<Finding> findings = reply.findings() == null ? List.of() : reply.findings();
        boolean flagged = !findings.isEmpty() || reply.verdict() != Verdict.ALLOWED;
        if (reply.verdict() == Verdict.BLOCKED) {
            return new ScreenedPassage(chunk, true, false, true, findings, reply.injectionScore());
        }
        boolean fence = (flagged || this.settings.spotlight() == OutputCheckSettings.Spotlight.ALL)
                && reply.text() != null && !reply.text().isBlank();
        RetrievedChunk used = !fence ? chunk : chunk.withText(reply.text());
        return new ScreenedPassage(used, false, fence, flagged, findings, reply.injectionScore());
    }

    /**
     * What the answer's reader may see of a piece of it.
     *
     * @param canary       the canary planted in this request's system prompt
     * @param instructions the system prompt's instructions (not the passages: an answer quoting a passage is fine)
     * @param vaultId      the conversation whose pseudonyms to restore (the request id when there is none)
     */
    public record AnswerContext(String requestId, String canary, String instructions, String vaultId) {
    }

    /** Checks {@code text}, which starts at {@code offset} of the whole answer. */
    public OutputCheckedReply checkAnswer(Caller caller, AnswerContext context, String text, long offset) {
        return this.requestReply.ask(caller.token(), caller.tenantId(), context.requestId(),
                new CheckOutputCommand(context.requestId(), CheckOutputCommand.SOURCE_ANSWER, text, offset,
                        context.canary(), context.instructions(), this.settings.allowedDomains(), context.vaultId(),
                        null));
    }

    /**
     * The value a pseudonym token stands for in the vault {@code vaultId}, asked the way answers get theirs
     * back: an output check of the pseudonym alone, which guardrails restores from the vault. The pseudonym
     * itself when the vault holds no value for it (or guardrails blocked the check). Runs whether or not output
     * checks are enabled: a tool needs the real value, not its pseudonym.
     */
    public String restorePseudonym(String token, String tenantId, String requestId, String vaultId,
                                     String pseudonym) {
        OutputCheckedReply reply = this.requestReply.ask(token, tenantId, requestId, new CheckOutputCommand(requestId,
                CheckOutputCommand.SOURCE_ANSWER, pseudonym, 0, null, null, List.of(), vaultId, null));
        boolean restored = reply.verdict() != Verdict.BLOCKED && reply.text() != null && !reply.text().isBlank();
        return restored ? reply.text() : pseudonym;
    }
}
