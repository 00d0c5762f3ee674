package dev.genaiplatform.orchestrator.agent;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ToolArgumentPseudonymsTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final List<String> asked = new ArrayList<>();
    private final Map<String, String> vault = Map.of(
            "<EMAIL_ADDRESS_1>", "jane.doe@example.com",
            "<PERSON_1>", "Jane \"JD\" Doe",
            "<PERSON_2>", "Jane Doe-Smith");
    private final ToolArgumentPseudonyms pseudonyms = new ToolArgumentPseudonyms(
            (token, tenant, requestId, vaultId, pseudonym) -> {
                this.asked.add(vaultId + " " + pseudonym);
                return this.vault.getOrDefault(pseudonym, pseudonym);
            }, JSON);

    @Test
    void argumentsWithoutPlaceholdersGoAsTheyAreWithoutAskingTheVault() {
        ToolArgumentPseudonyms.Restored restored = this.pseudonyms.restore("t", "acme", "r", "run-1",
                "{\"expression\":\"12 * 7\"}");

        assertThat(restored.argumentsJson()).isEqualTo("{\"expression\":\"12 * 7\"}");
        assertThat(restored.values()).isEmpty();
        assertThat(this.asked).isEmpty();
    }

    @Test
    void placeholdersInStringsNestedObjectsAndArraysAreRestoredFromTheRunsVaultOnceEach() {
        ToolArgumentPseudonyms.Restored restored = this.pseudonyms.restore("t", "acme", "r", "run-1", """
                {"to":["<EMAIL_ADDRESS_1>"],"body":"Hi <PERSON_1>, this goes to <EMAIL_ADDRESS_1>","n":3,
                 "meta":{"cc":"<EMAIL_ADDRESS_1>"}}""");

        assertThat(JSON.readTree(restored.argumentsJson())).isEqualTo(JSON.readTree("""
                {"to":["jane.doe@example.com"],"body":"Hi Jane \\"JD\\" Doe, this goes to jane.doe@example.com","n":3,
                 "meta":{"cc":"jane.doe@example.com"}}"""));
        assertThat(this.asked).containsExactly("run-1 <EMAIL_ADDRESS_1>", "run-1 <PERSON_1>");
    }

    @Test
    void aPlaceholderTheVaultDoesNotKnowStaysAsItIs() {
        ToolArgumentPseudonyms.Restored restored = this.pseudonyms.restore("t", "acme", "r", "run-1",
                "{\"to\":\"<EMAIL_ADDRESS_9>\"}");

        assertThat(restored.argumentsJson()).isEqualTo("{\"to\":\"<EMAIL_ADDRESS_9>\"}");
        assertThat(restored.values()).isEmpty();
    }

    @Test
    void whatTheToolSendsBackHasTheRestoredValuesTurnedBackIntoPlaceholdersEvenJsonEscaped() {
        ToolArgumentPseudonyms.Restored restored = this.pseudonyms.restore("t", "acme", "r", "run-1",
                "{\"to\":\"<EMAIL_ADDRESS_1>\",\"greeting\":\"<PERSON_1> and <PERSON_2>\"}");

        String result = "{\"sent\":true,\"to\":\"jane.doe@example.com\",\"greeting\":\"Jane \\\"JD\\\" Doe and "
                + "Jane Doe-Smith\"}";
        assertThat(restored.pseudonymise(result)).isEqualTo(
                "{\"sent\":true,\"to\":\"<EMAIL_ADDRESS_1>\",\"greeting\":\"<PERSON_1> and <PERSON_2>\"}");
        assertThat(restored.pseudonymise("Refused: jane.doe@example.com bounced")).isEqualTo(
                "Refused: <EMAIL_ADDRESS_1> bounced");
    }

    @Test
    void anAnswerGetsItsPlaceholdersBackForTheUser() {
        assertThat(this.pseudonyms.restoreText("t", "acme", "r", "run-1", "Sent to <EMAIL_ADDRESS_1>, <EMAIL_ADDRESS_9>."))
                .isEqualTo("Sent to jane.doe@example.com, <EMAIL_ADDRESS_9>.");
        assertThat(this.pseudonyms.restoreText("t", "acme", "r", "run-1", "No pseudonym.")).isEqualTo("No pseudonym.");
        assertThat(this.asked).containsExactly("run-1 <EMAIL_ADDRESS_1>", "run-1 <EMAIL_ADDRESS_9>");
    }

    @Test
    void argumentsThatAreNotJsonGoAsTheyAre() {
        ToolArgumentPseudonyms.Restored restored = this.pseudonyms.restore("t", "acme", "r", "run-1",
                "to <EMAIL_ADDRESS_1>");

        assertThat(restored.argumentsJson()).isEqualTo("to <EMAIL_ADDRESS_1>");
    }
}
