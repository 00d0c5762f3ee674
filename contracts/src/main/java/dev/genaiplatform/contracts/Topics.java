package dev.genaiplatform.contracts;

import java.util.List;

/**
 * Every Kafka topic of the platform, in one place: read this class to see the whole wire map.
 *
 * <p>Names follow {@code <domain>.<name>.v<N>}. Only '.' and '-' are used as separators, because Kafka
 * maps '.' and '_' to the same metric name. Commands are named for what they ask, replies and events
 * for what happened. A breaking change to a record gets a new topic version, never an edit in place.
 */
public final class Topics {

    /** {@link dev.genaiplatform.contracts.guardrails.CheckInputCommand}: orchestrator asks guardrails to check a prompt. */
    public static final String GUARDRAILS_CHECK_INPUT = "guardrails.check-input.v1";
    /** {@link dev.genaiplatform.contracts.guardrails.InputCheckedReply}: the verdict, sent back to the asker. */
    public static final String GUARDRAILS_INPUT_CHECKED = "guardrails.input-checked.v1";
    /**
     * {@link dev.genaiplatform.contracts.guardrails.CheckOutputCommand}: orchestrator asks guardrails to check a
     * window of a streamed answer, a retrieved chunk or a tool result.
     */
    public static final String GUARDRAILS_CHECK_OUTPUT = "guardrails.check-output.v1";
    /** {@link dev.genaiplatform.contracts.guardrails.OutputCheckedReply}: the verdict, sent back to the asker. */
    public static final String GUARDRAILS_OUTPUT_CHECKED = "guardrails.output-checked.v1";
    /**
     * {@link dev.genaiplatform.contracts.guardrails.GuardrailVerdictRecordedEvent}: every guardrails verdict with
     * its reasons and no checked text, for evaluation and audit.
     */
    public static final String GUARDRAILS_VERDICT_RECORDED = "guardrails.verdict-recorded.v1";
    /**
     * {@link dev.genaiplatform.contracts.guardrails.JudgePassagesCommand}: retrieval asks guardrails to judge a
     * document's passages as untrusted data while indexing them (no caller token: only retrieval may write it).
     */
    public static final String GUARDRAILS_JUDGE_PASSAGES = "guardrails.judge-passages.v1";
    /** {@link dev.genaiplatform.contracts.guardrails.PassagesJudgedReply}: one verdict per passage, back to retrieval. */
    public static final String GUARDRAILS_PASSAGES_JUDGED = "guardrails.passages-judged.v1";

    /** {@link dev.genaiplatform.contracts.retrieval.SearchCommand}: orchestrator asks retrieval for passages. */
    public static final String RETRIEVAL_SEARCH = "retrieval.search.v1";
    /**
     * {@link dev.genaiplatform.contracts.retrieval.SearchResultReply}: the ranked passages, back to the orchestrator
     * (another asker names its own reply topic, as tools-agent does: {@link #TOOLS_AGENT_SEARCH_RESULT_REPLIES}).
     */
    public static final String RETRIEVAL_SEARCH_RESULT = "retrieval.search-result.v1";

    /** {@link dev.genaiplatform.contracts.retrieval.DocumentDeletedEvent}: a file version left the index; caches purge it. */
    public static final String RETRIEVAL_DOCUMENT_DELETED = "retrieval.document-deleted.v1";

    /**
     * {@link dev.genaiplatform.contracts.retrieval.IngestionRequestedEvent}: a file was added to a vector store and
     * waits to be parsed, chunked, embedded and indexed. Retrieval produces and consumes it (the work queue).
     */
    public static final String RETRIEVAL_INGESTION_REQUESTED = "retrieval.ingestion-requested.v1";
    /**
     * {@link dev.genaiplatform.contracts.retrieval.IngestionProgressedEvent}: one ingestion step finished (parsed,
     * chunked, embedded, indexed) or the ingestion failed, with counts; for progress bars and observers.
     */
    public static final String RETRIEVAL_INGESTION_PROGRESSED = "retrieval.ingestion-progressed.v1";

    /** {@link dev.genaiplatform.contracts.tools.InvokeToolCommand}: run one tool with arguments. */
    public static final String TOOLS_INVOKE = "tools.invoke.v1";
    /** {@link dev.genaiplatform.contracts.tools.ToolInvokedReply}: the tool's result or error. */
    public static final String TOOLS_INVOKED = "tools.invoked.v1";
    /** {@link dev.genaiplatform.contracts.tools.ToolCallStatusQuery}: what became of a call (by idempotency key)? */
    public static final String TOOLS_CALL_STATUS = "tools.call-status.v1";
    /** {@link dev.genaiplatform.contracts.tools.ToolCallStatusReport}: the ledger's answer. */
    public static final String TOOLS_CALL_STATUS_REPORTED = "tools.call-status-reported.v1";
    /** {@link dev.genaiplatform.contracts.tools.ToolApprovalRequestedEvent}: a call waits for a human decision. */
    public static final String TOOLS_APPROVAL_REQUESTED = "tools.approval-requested.v1";
    /** {@link dev.genaiplatform.contracts.tools.DecideToolApprovalCommand}: a human approves or denies a pending call. */
    public static final String TOOLS_DECIDE_APPROVAL = "tools.decide-approval.v1";
    /** {@link dev.genaiplatform.contracts.tools.ToolApprovalDecidedEvent}: a decision and what it led to. */
    public static final String TOOLS_APPROVAL_DECIDED = "tools.approval-decided.v1";
    /**
     * {@link dev.genaiplatform.contracts.tools.ToolApprovalDecidedEvent} as the reply to an approval decision the
     * orchestrator asked for on {@link #TOOLS_DECIDE_APPROVAL} (named in the command's {@code kafka_replyTopic}).
     * A reply topic, not a command or event topic: read only by the orchestrator's reply container, so it has no
     * dead-letter twin and is not in {@link #ALL}.
     */
    public static final String ORCHESTRATOR_APPROVAL_DECISION_REPLIES = "orchestrator.approval-decision-replies.v1";
    /**
     * {@link dev.genaiplatform.contracts.retrieval.SearchResultReply} to a search tools-agent asked for (its
     * {@code search_documents} tool), named in the command's {@code kafka_replyTopic}. Retrieval answers each asker
     * where it says; on the orchestrator's {@link #RETRIEVAL_SEARCH_RESULT} tools-agent would read one foreign reply
     * per chat request. A reply topic: no dead-letter twin, not in {@link #ALL}.
     */
    public static final String TOOLS_AGENT_SEARCH_RESULT_REPLIES = "tools-agent.search-result-replies.v1";
    /** {@link dev.genaiplatform.contracts.tools.ToolCalledEvent}: a tool call finished (audit, observability, resume). */
    public static final String TOOLS_TOOL_CALLED = "tools.tool-called.v1";

    /** {@link dev.genaiplatform.contracts.chat.ChatCompletionRecordedEvent}: one finished chat request, for evaluation. */
    public static final String CHAT_COMPLETION_RECORDED = "chat.completion-recorded.v1";
    /**
     * {@link dev.genaiplatform.contracts.chat.BatchLineQueuedCommand}: one line of an accepted batch, waiting for its
     * provider's capacity (orchestrator to orchestrator; keyed by {@code <batch id>:<line index>}).
     */
    public static final String CHAT_BATCH_LINE_QUEUED = "chat.batch-line-queued.v1";
    /**
     * {@link dev.genaiplatform.contracts.chat.BatchLineQueuedCommand} of priority class {@code BULK}: a line of a batch
     * that asked to run behind every other batch (own topic, so consumers can leave it waiting while batch work is
     * queued and admission can shed it first; keyed like {@link #CHAT_BATCH_LINE_QUEUED}).
     */
    public static final String CHAT_BULK_LINE_QUEUED = "chat.bulk-line-queued.v1";

    /** {@link dev.genaiplatform.contracts.gateway.ApiKeyRevokedEvent}: every gateway instance drops the key at once. */
    public static final String GATEWAY_API_KEY_REVOKED = "gateway.api-key-revoked.v1";
    /** {@link dev.genaiplatform.contracts.gateway.TenantLimitsChangedEvent}: every gateway instance rereads the tenant's limits. */
    public static final String GATEWAY_TENANT_LIMITS_CHANGED = "gateway.tenant-limits-changed.v1";

    /** Topics that carry commands or events; each has a dead-letter twin, see {@link #deadLetter(String)}. */
    public static final List<String> ALL = List.of(
            GUARDRAILS_CHECK_INPUT, GUARDRAILS_INPUT_CHECKED, GUARDRAILS_CHECK_OUTPUT, GUARDRAILS_OUTPUT_CHECKED,
            GUARDRAILS_VERDICT_RECORDED, GUARDRAILS_JUDGE_PASSAGES, GUARDRAILS_PASSAGES_JUDGED,
            RETRIEVAL_SEARCH, RETRIEVAL_SEARCH_RESULT, RETRIEVAL_DOCUMENT_DELETED,
            RETRIEVAL_INGESTION_REQUESTED, RETRIEVAL_INGESTION_PROGRESSED,
            TOOLS_INVOKE, TOOLS_INVOKED, TOOLS_CALL_STATUS, TOOLS_CALL_STATUS_REPORTED,
            TOOLS_APPROVAL_REQUESTED, TOOLS_DECIDE_APPROVAL, TOOLS_APPROVAL_DECIDED, TOOLS_TOOL_CALLED,
            CHAT_COMPLETION_RECORDED, CHAT_BATCH_LINE_QUEUED, CHAT_BULK_LINE_QUEUED,
            GATEWAY_API_KEY_REVOKED,
            GATEWAY_TENANT_LIMITS_CHANGED);

    private static final String DEAD_LETTER_SUFFIX = ".dlt";

    /**
     * Where a consumer parks a record it cannot parse or process, so the partition keeps moving:
     * {@code guardrails.check-input.v1} becomes {@code guardrails.check-input.v1.dlt}.
     */
    public static String deadLetter(String topic) {
        return topic + DEAD_LETTER_SUFFIX;
    }

    private Topics() {
    }
}
