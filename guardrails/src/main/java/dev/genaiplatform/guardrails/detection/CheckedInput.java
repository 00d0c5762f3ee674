package dev.genaiplatform.guardrails.detection;

import dev.genaiplatform.contracts.guardrails.ChatMessage;
import dev.genaiplatform.contracts.guardrails.CheckInputCommand;
import dev.genaiplatform.contracts.guardrails.ToolCall;
import dev.genaiplatform.contracts.guardrails.ToolDefinition;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.IntFunction;

/**
 * Everything of a {@link CheckInputCommand} that reaches a model, as a flat list of {@link CheckedText}s in a
 * fixed order, and the way back: {@link #rebuild} puts (masked) texts back where they came from.
 *
 * <p>The order: per message its content, then each tool call's name and arguments; then each tool's name,
 * description and parameter schema; then the response format schema, each stop sequence and the user field.
 * A field that is null stays null (it is listed with empty text and not rebuilt into a value).
 */
public final class CheckedInput {

    public static final String TOOL_CALL = "tool-call";
    public static final String TOOL_DEFINITION = "tool-definition";
    public static final String REQUEST = "request";

    private final CheckInputCommand command;
    private final List<CheckedText> texts = new ArrayList<>();

    public CheckedInput(CheckInputCommand command) {
        this.command = command;
        List<ChatMessage> messages = nonNull(command.messages());
        for (int m = 0; m < messages.size(); m++) {
            ChatMessage message = messages.get(m);
            if (message == null) {
                continue;
            }
            texts.add(new CheckedText(m, "messages[" + m + "].content", message.content(), message.role()));
            List<ToolCall> calls = nonNull(message.toolCalls());
            for (int c = 0; c < calls.size(); c++) {
                ToolCall call = calls.get(c);
                if (call == null) {
                    continue;
                }
                texts.add(new CheckedText(m, "messages[" + m + "].toolCalls[" + c + "].name", call.name(), TOOL_CALL));
                texts.add(new CheckedText(m, "messages[" + m + "].toolCalls[" + c + "].arguments", call.arguments(),
                        TOOL_CALL));
            }
        }
        List<ToolDefinition> tools = nonNull(command.tools());
        for (int t = 0; t < tools.size(); t++) {
            ToolDefinition tool = tools.get(t);
            if (tool == null) {
                continue;
            }
            texts.add(new CheckedText(-1, "tools[" + t + "].name", tool.name(), TOOL_DEFINITION));
            texts.add(new CheckedText(-1, "tools[" + t + "].description", tool.description(), TOOL_DEFINITION));
            texts.add(new CheckedText(-1, "tools[" + t + "].parametersSchema", tool.parametersSchema(), TOOL_DEFINITION));
        }
        texts.add(new CheckedText(-1, "responseFormatSchema", command.responseFormatSchema(), REQUEST));
        List<String> stop = nonNull(command.stop());
        for (int s = 0; s < stop.size(); s++) {
            texts.add(new CheckedText(-1, "stop[" + s + "]", stop.get(s), REQUEST));
        }
        texts.add(new CheckedText(-1, "user", command.user(), REQUEST));
    }

    public List<CheckedText> texts() {
        return texts;
    }

    /** Code points of every text together: what the size limit counts. */
    public long codePoints() {
        long total = 0;
        for (CheckedText text : texts) {
            total += text.text().codePointCount(0, text.text().length());
        }
        return total;
    }

    /**
     * The command's parts with each text replaced by {@code replacement.apply(textIndex)}, in the same walk order
     * as the constructor; null fields stay null.
     */
    public Rebuilt rebuild(IntFunction<String> replacement) {
        int[] next = {0};
        IntFunction<String> take = original -> replacement.apply(next[0]++);
        List<ChatMessage> messages = new ArrayList<>();
        for (ChatMessage message : nonNull(command.messages())) {
            if (message == null) {
                continue;
            }
            String content = keepNull(message.content(), take.apply(0));
            List<ToolCall> calls = new ArrayList<>();
            for (ToolCall call : nonNull(message.toolCalls())) {
                if (call == null) {
                    continue;
                }
                String name = keepNull(call.name(), take.apply(0));
                calls.add(new ToolCall(call.id(), name, keepNull(call.arguments(), take.apply(0))));
            }
            messages.add(new ChatMessage(message.role(), content, List.copyOf(calls)));
        }
        List<ToolDefinition> tools = new ArrayList<>();
        for (ToolDefinition tool : nonNull(command.tools())) {
            if (tool == null) {
                continue;
            }
            String name = keepNull(tool.name(), take.apply(0));
            String description = keepNull(tool.description(), take.apply(0));
            tools.add(new ToolDefinition(name, description, keepNull(tool.parametersSchema(), take.apply(0))));
        }
        String schema = keepNull(command.responseFormatSchema(), take.apply(0));
        List<String> stop = new ArrayList<>();
        for (String sequence : nonNull(command.stop())) {
            stop.add(Objects.requireNonNullElse(keepNull(sequence, take.apply(0)), ""));
        }
        String user = keepNull(command.user(), take.apply(0));
        return new Rebuilt(List.copyOf(messages), List.copyOf(tools), schema, List.copyOf(stop), user);
    }

    /** The parts of a command that go on to the model. */
    public record Rebuilt(List<ChatMessage> messages, List<ToolDefinition> tools, String responseFormatSchema,
                          List<String> stop, String user) {
    }

    private static String keepNull(String original, String replaced) {
        return original == null ? null : replaced;
    }

    private static <T> List<T> nonNull(List<T> list) {
        return list == null ? List.of() : list;
    }
}
