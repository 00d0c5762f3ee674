package dev.genaiplatform.orchestrator.chat;

import dev.genaiplatform.contracts.guardrails.InputCheckedReply;
import dev.genaiplatform.contracts.guardrails.ToolDefinition;
import dev.genaiplatform.contracts.guardrails.Verdict;
import dev.genaiplatform.orchestrator.provider.ModelRequest;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What reaches the model besides the messages is what guardrails let through, never the client's original. */
class CheckedModelRequestTests {

    private static final ModelRequest ORIGINAL = new ModelRequest(0.2, null, 100, null, List.of("STOP jane@example.com"),
            7, "jane@example.com",
            List.of(org.springframework.ai.tool.definition.ToolDefinition.builder().name("notify")
                    .description("Mail the result to jane@example.com")
                    .inputSchema("{\"type\":\"object\",\"description\":\"cc jane@example.com\"}").build()),
            "auto", null, new ModelRequest.ResponseFormat("json_schema",
                    "{\"type\":\"object\",\"description\":\"owner jane@example.com\"}", true));

    @Test
    void maskedToolDescriptionsSchemasStopAndUserReplaceTheOriginals() {
        InputCheckedReply redacted = new InputCheckedReply("r1", Verdict.REDACTED, List.of(), List.of(), null,
                List.of(new ToolDefinition("notify", "Mail the result to <EMAIL_ADDRESS>",
                        "{\"type\":\"object\",\"description\":\"cc <EMAIL_ADDRESS>\"}")),
                "{\"type\":\"object\",\"description\":\"owner <EMAIL_ADDRESS>\"}",
                List.of("STOP <EMAIL_ADDRESS>"), "<EMAIL_ADDRESS>", 0.01);

        ModelRequest forwarded = PromptPreparation.checkedModelRequest(ORIGINAL, redacted);

        String everything = forwarded.tools().getFirst().description() + forwarded.tools().getFirst().inputSchema()
                + forwarded.responseFormat().schema() + forwarded.stop() + forwarded.user();
        assertThat(everything).doesNotContain("jane@example.com").contains("<EMAIL_ADDRESS>");
        assertThat(forwarded.tools().getFirst().name()).isEqualTo("notify");
        assertThat(forwarded.temperature()).isEqualTo(0.2);
        assertThat(forwarded.toolChoice()).isEqualTo("auto");
        assertThat(forwarded.responseFormat().strict()).isTrue();
    }

    @Test
    void partsGuardrailsDidNotEchoStayAsTheClientSentThem() {
        InputCheckedReply messagesOnly = new InputCheckedReply("r2", Verdict.ALLOWED, List.of(), List.of(), null);

        ModelRequest forwarded = PromptPreparation.checkedModelRequest(ORIGINAL, messagesOnly);

        assertThat(forwarded.tools()).isEqualTo(ORIGINAL.tools());
        assertThat(forwarded.stop()).isEqualTo(ORIGINAL.stop());
        assertThat(forwarded.user()).isEqualTo(ORIGINAL.user());
        assertThat(forwarded.responseFormat()).isEqualTo(ORIGINAL.responseFormat());
    }
}
