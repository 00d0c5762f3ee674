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

    /** {@link dev.genaiplatform.contracts.retrieval.SearchCommand}: orchestrator asks retrieval for passages. */
    public static final String RETRIEVAL_SEARCH = "retrieval.search.v1";
    /** {@link dev.genaiplatform.contracts.retrieval.SearchResultReply}: the ranked passages. */
    public static final String RETRIEVAL_SEARCH_RESULT = "retrieval.search-result.v1";

    /** {@link dev.genaiplatform.contracts.retrieval.DocumentDeletedEvent}: a file version left the index; caches purge it. */
    public static final String RETRIEVAL_DOCUMENT_DELETED = "retrieval.document-deleted.v1";

    /** {@link dev.genaiplatform.contracts.tools.InvokeToolCommand}: run one tool with arguments. */
    public static final String TOOLS_INVOKE = "tools.invoke.v1";
    /** {@link dev.genaiplatform.contracts.tools.ToolInvokedReply}: the tool's result or error. */
    public static final String TOOLS_INVOKED = "tools.invoked.v1";

    /** {@link dev.genaiplatform.contracts.chat.ChatCompletionRecordedEvent}: one finished chat request, for evaluation. */
    public static final String CHAT_COMPLETION_RECORDED = "chat.completion-recorded.v1";

    /** {@link dev.genaiplatform.contracts.gateway.ApiKeyRevokedEvent}: every gateway instance drops the key at once. */
    public static final String GATEWAY_API_KEY_REVOKED = "gateway.api-key-revoked.v1";

    /** Topics that carry commands or events; each has a dead-letter twin, see {@link #deadLetter(String)}. */
    public static final List<String> ALL = List.of(
            GUARDRAILS_CHECK_INPUT, GUARDRAILS_INPUT_CHECKED,
            RETRIEVAL_SEARCH, RETRIEVAL_SEARCH_RESULT, RETRIEVAL_DOCUMENT_DELETED,
            TOOLS_INVOKE, TOOLS_INVOKED,
            CHAT_COMPLETION_RECORDED,
            GATEWAY_API_KEY_REVOKED);

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
