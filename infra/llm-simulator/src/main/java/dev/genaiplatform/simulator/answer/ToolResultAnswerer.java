package dev.genaiplatform.simulator.answer;

import dev.genaiplatform.simulator.model.ChatMessage;
import dev.genaiplatform.simulator.model.ToolCall;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The final answer once the client has run the tools: one sentence per tool result, in order, citing
 * nothing (the facts come from the tools, not from the context passages).
 * <ul>
 *   <li>a call whose arguments hold an expression: "The result of (2+3)*4 is 20."</li>
 *   <li>any other call: "The get_weather tool returned: Sunny, 21 °C."</li>
 * </ul>
 * A result that is a JSON object with a single scalar member, or a JSON scalar, is reduced to that
 * value ({@code {"result": 20}} reads as 20); anything else is quoted as sent, whitespace collapsed.
 */
final class ToolResultAnswerer {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ToolResultAnswerer() {
    }

    /** The tool results that follow the last user message, or empty when the model still has to act. */
    static List<ChatMessage> pendingResults(List<ChatMessage> messages) {
        List<ChatMessage> results = new ArrayList<>();
        for (int i = messages.size() - 1; i >= 0 && !messages.get(i).isUser(); i--) {
            if (messages.get(i).isToolResult()) {
                results.addFirst(messages.get(i));
            }
        }
        return results;
    }

    static String answer(List<ChatMessage> messages, List<ChatMessage> results) {
        List<String> sentences = new ArrayList<>();
        for (ChatMessage result : results) {
            String value = value(result.content());
            Optional<ToolCall> call = callAnswered(messages, result.toolCallId());
            String expression = call.flatMap(c -> expression(c.arguments())).orElse(null);
            String name = call.map(ToolCall::name).orElse("tool");
            String sentence = expression != null ? "The result of " + expression + " is " + value
                    : value.isEmpty() ? "The " + name + " tool returned nothing"
                    : "The " + name + " tool returned: " + value;
            sentences.add(sentence.endsWith(".") ? sentence : sentence + ".");
        }
        return String.join(" ", sentences);
    }

    private static Optional<ToolCall> callAnswered(List<ChatMessage> messages, String id) {
        return messages.stream().flatMap(m -> m.toolCalls().stream()).filter(c -> c.id().equals(id)).findFirst();
    }

    private static Optional<String> expression(String arguments) {
        JsonNode node = read(arguments);
        if (node == null) {
            return Optional.empty();
        }
        for (String name : List.of("expression", "expr", "formula")) {
            if (node.path(name).isString()) {
                return Optional.of(node.get(name).stringValue());
            }
        }
        return Optional.empty();
    }

    private static String value(String content) {
        JsonNode node = read(content);
        if (node != null && node.isObject() && node.size() == 1) {
            Map.Entry<String, JsonNode> only = node.properties().iterator().next();
            node = only.getValue();
        }
        if (node != null && node.isValueNode() && !node.isNull()) {
            return node.isString() ? node.stringValue() : node.toString();
        }
        return content.strip().replaceAll("\\s+", " ");
    }

    private static JsonNode read(String text) {
        try {
            return JSON.readTree(text);
        } catch (JacksonException notJson) {
            return null;
        }
    }
}
