package dev.genaiplatform.contracts;

import dev.genaiplatform.contracts.chat.BatchLineQueuedCommand;
import dev.genaiplatform.contracts.chat.ChatCompletionRecordedEvent;
import dev.genaiplatform.contracts.gateway.ApiKeyRevokedEvent;
import dev.genaiplatform.contracts.gateway.TenantLimitsChangedEvent;
import dev.genaiplatform.contracts.guardrails.CheckInputCommand;
import dev.genaiplatform.contracts.guardrails.CheckOutputCommand;
import dev.genaiplatform.contracts.guardrails.OutputCheckedReply;
import dev.genaiplatform.contracts.guardrails.GuardrailVerdictRecordedEvent;
import dev.genaiplatform.contracts.guardrails.InputCheckedReply;
import dev.genaiplatform.contracts.guardrails.JudgePassagesCommand;
import dev.genaiplatform.contracts.guardrails.PassagesJudgedReply;
import dev.genaiplatform.contracts.retrieval.DocumentDeletedEvent;
import dev.genaiplatform.contracts.retrieval.IngestionProgressedEvent;
import dev.genaiplatform.contracts.retrieval.IngestionRequestedEvent;
import dev.genaiplatform.contracts.retrieval.SearchCommand;
import dev.genaiplatform.contracts.retrieval.SearchResultReply;
import dev.genaiplatform.contracts.tools.DecideToolApprovalCommand;
import dev.genaiplatform.contracts.tools.InvokeToolCommand;
import dev.genaiplatform.contracts.tools.ToolApprovalDecidedEvent;
import dev.genaiplatform.contracts.tools.ToolApprovalRequestedEvent;
import dev.genaiplatform.contracts.tools.ToolCallStatusQuery;
import dev.genaiplatform.contracts.tools.ToolCallStatusReport;
import dev.genaiplatform.contracts.tools.ToolCalledEvent;
import dev.genaiplatform.contracts.tools.ToolInvokedReply;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.InputStream;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each topic has a JSON example under {@code src/test/resources/examples/<topic>.json}. The example must
 * parse into the topic's record with no unknown field, and the record must write back the same JSON:
 * so the examples stay true documentation of the wire format.
 */
class WireFormatTests {

    private static final Map<String, Class<?>> RECORD_OF_TOPIC = Map.ofEntries(
            Map.entry(Topics.GUARDRAILS_CHECK_INPUT, CheckInputCommand.class),
            Map.entry(Topics.GUARDRAILS_INPUT_CHECKED, InputCheckedReply.class),
            Map.entry(Topics.GUARDRAILS_CHECK_OUTPUT, CheckOutputCommand.class),
            Map.entry(Topics.GUARDRAILS_OUTPUT_CHECKED, OutputCheckedReply.class),
            Map.entry(Topics.GUARDRAILS_VERDICT_RECORDED, GuardrailVerdictRecordedEvent.class),
            Map.entry(Topics.GUARDRAILS_JUDGE_PASSAGES, JudgePassagesCommand.class),
            Map.entry(Topics.GUARDRAILS_PASSAGES_JUDGED, PassagesJudgedReply.class),
            Map.entry(Topics.RETRIEVAL_SEARCH, SearchCommand.class),
            Map.entry(Topics.RETRIEVAL_SEARCH_RESULT, SearchResultReply.class),
            Map.entry(Topics.RETRIEVAL_DOCUMENT_DELETED, DocumentDeletedEvent.class),
            Map.entry(Topics.RETRIEVAL_INGESTION_REQUESTED, IngestionRequestedEvent.class),
            Map.entry(Topics.RETRIEVAL_INGESTION_PROGRESSED, IngestionProgressedEvent.class),
            Map.entry(Topics.TOOLS_INVOKE, InvokeToolCommand.class),
            Map.entry(Topics.TOOLS_INVOKED, ToolInvokedReply.class),
            Map.entry(Topics.TOOLS_CALL_STATUS, ToolCallStatusQuery.class),
            Map.entry(Topics.TOOLS_CALL_STATUS_REPORTED, ToolCallStatusReport.class),
            Map.entry(Topics.TOOLS_APPROVAL_REQUESTED, ToolApprovalRequestedEvent.class),
            Map.entry(Topics.TOOLS_DECIDE_APPROVAL, DecideToolApprovalCommand.class),
            Map.entry(Topics.TOOLS_APPROVAL_DECIDED, ToolApprovalDecidedEvent.class),
            Map.entry(Topics.TOOLS_TOOL_CALLED, ToolCalledEvent.class),
            Map.entry(Topics.CHAT_COMPLETION_RECORDED, ChatCompletionRecordedEvent.class),
            Map.entry(Topics.CHAT_BATCH_LINE_QUEUED, BatchLineQueuedCommand.class),
            Map.entry(Topics.CHAT_BULK_LINE_QUEUED, BatchLineQueuedCommand.class),
            Map.entry(Topics.GATEWAY_API_KEY_REVOKED, ApiKeyRevokedEvent.class),
            Map.entry(Topics.GATEWAY_TENANT_LIMITS_CHANGED, TenantLimitsChangedEvent.class));

    private final JsonMapper json = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    static Stream<Arguments> topics() {
        return Topics.ALL.stream().map(topic -> Arguments.of(topic, RECORD_OF_TOPIC.get(topic)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("topics")
    void everyRecordRoundTripsThroughItsJsonExample(String topic, Class<?> recordType) throws Exception {
        assertThat(recordType).as("a record type for " + topic).isNotNull();
        JsonNode example;
        try (InputStream in = getClass().getResourceAsStream("/examples/" + topic + ".json")) {
            assertThat(in).as("an example for " + topic).isNotNull();
            example = json.readTree(in);
        }

        Object parsed = json.treeToValue(example, recordType);
        Object reparsed = json.readValue(json.writeValueAsString(parsed), recordType);

        assertThat(reparsed).isEqualTo(parsed);
        JsonNode written = json.readTree(json.writeValueAsString(parsed));
        assertThat(written).isEqualTo(example);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("topics")
    void topicNamesFollowTheConvention(String topic) {
        assertThat(topic).matches("[a-z]+\\.[a-z]+(-[a-z]+)*\\.v[0-9]+");
        assertThat(Topics.deadLetter(topic)).isEqualTo(topic + ".dlt");
    }
}
