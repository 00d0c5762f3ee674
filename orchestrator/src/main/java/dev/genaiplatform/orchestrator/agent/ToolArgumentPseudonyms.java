package dev.genaiplatform.orchestrator.agent;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.StringNode;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Pseudonyms in a tool call's arguments. A pseudonymising guardrails policy shows the model {@code <EMAIL_ADDRESS_1>}
 * instead of the address in the goal, so the model's tool calls carry pseudonyms; the tool needs the real value.
 * Just before a call goes to tools-agent, each pseudonym in a string argument is replaced by its value from the
 * run's pseudonym vault (guardrails restores it, as it does for answers). Whatever the tool sends back passes
 * through {@link Restored#pseudonymise} before the model reads it, so the values never reach the model; the step
 * log keeps the model's own arguments, with pseudonyms.
 */
final class ToolArgumentPseudonyms {

    /** Guardrails' pseudonym shape ({@code PseudonymVault.PSEUDONYM_SHAPE}): {@code <CATEGORY_n>}. */
    static final Pattern PSEUDONYM_SHAPE = Pattern.compile("<[A-Z][A-Z_]{1,40}_[0-9]{1,6}>");

    /** Where a pseudonym's value is kept: the run's vault in guardrails. */
    @FunctionalInterface
    interface Vault {

        /** The value, or the pseudonym itself when the vault holds none. */
        String valueOf(String token, String tenantId, String requestId, String vaultId, String pseudonym);
    }

    private final Vault vault;
    private final JsonMapper json;

    ToolArgumentPseudonyms(Vault vault, JsonMapper json) {
        this.vault = vault;
        this.json = json;
    }

    /**
     * The arguments as the tool must get them.
     *
     * @param argumentsJson the model's arguments (JSON text, pseudonyms in its strings)
     * @param values        pseudonym → value, for each pseudonym the vault knew
     */
    record Restored(String argumentsJson, Map<String, String> values) {

        static Restored unchanged(String argumentsJson) {
            return new Restored(argumentsJson, Map.of());
        }

        /** {@code text} with every restored value turned back into its pseudonym (longest value first). */
        String pseudonymise(String text) {
            if (text == null || this.values.isEmpty()) {
                return text;
            }
            List<Map.Entry<String, String>> byLength = new ArrayList<>(this.values.entrySet());
            byLength.sort(Comparator.comparingInt((Map.Entry<String, String> e) -> e.getValue().length()).reversed());
            String masked = text;
            for (Map.Entry<String, String> entry : byLength) {
                masked = masked.replace(entry.getValue(), entry.getKey());
                // a tool echoing its JSON arguments back writes the value JSON-escaped
                String escaped = JsonMapper.shared().writeValueAsString(entry.getValue());
                masked = masked.replace(escaped.substring(1, escaped.length() - 1), entry.getKey());
            }
            return masked;
        }
    }

    /**
     * Restores the pseudonyms of a call's arguments from the vault {@code vaultId} (the run id). No pseudonym,
     * no question to guardrails. Arguments that are not JSON go as they are (tools-agent refuses them).
     */
    Restored restore(String token, String tenantId, String requestId, String vaultId, String argumentsJson) {
        Map<String, String> values = values(token, tenantId, requestId, vaultId, argumentsJson);
        if (values.isEmpty()) {
            return Restored.unchanged(argumentsJson);
        }
        JsonNode tree;
        try {
            tree = this.json.readTree(argumentsJson);
        }
        catch (JacksonException notJson) {
            return Restored.unchanged(argumentsJson);
        }
        return new Restored(this.json.writeValueAsString(replaced(tree, values)), Map.copyOf(values));
    }

    /** The run's final answer for the user: its pseudonyms restored (the step log keeps them). */
    String restoreText(String token, String tenantId, String requestId, String vaultId, String text) {
        if (text == null) {
            return null;
        }
        String restored = text;
        for (Map.Entry<String, String> entry : values(token, tenantId, requestId, vaultId, text).entrySet()) {
            restored = restored.replace(entry.getKey(), entry.getValue());
        }
        return restored;
    }

    /** Pseudonym → value for each distinct pseudonym in {@code text} that the vault knows; one question each. */
    private Map<String, String> values(String token, String tenantId, String requestId, String vaultId, String text) {
        Matcher matcher = PSEUDONYM_SHAPE.matcher(text);
        Map<String, String> values = new LinkedHashMap<>();
        while (matcher.find()) {
            String pseudonym = matcher.group();
            if (!values.containsKey(pseudonym)) {
                values.put(pseudonym, this.vault.valueOf(token, tenantId, requestId, vaultId, pseudonym));
            }
        }
        values.entrySet().removeIf(entry -> entry.getValue() == null || entry.getValue().equals(entry.getKey()));
        return values;
    }

    /** Replaces pseudonyms in string values only, so a value is JSON-escaped by the writer, never spliced in. */
    private JsonNode replaced(JsonNode node, Map<String, String> values) {
        if (node.isString()) {
            String text = node.asString();
            for (Map.Entry<String, String> entry : values.entrySet()) {
                text = text.replace(entry.getKey(), entry.getValue());
            }
            return StringNode.valueOf(text);
        }
        if (node instanceof ObjectNode object) {
            ObjectNode copy = this.json.createObjectNode();
            object.properties().forEach(field -> copy.set(field.getKey(), replaced(field.getValue(), values)));
            return copy;
        }
        if (node instanceof ArrayNode array) {
            ArrayNode copy = this.json.createArrayNode();
            array.forEach(element -> copy.add(replaced(element, values)));
            return copy;
        }
        return node;
    }
}
