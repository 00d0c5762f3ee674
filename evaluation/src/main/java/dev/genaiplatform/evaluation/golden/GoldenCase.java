package dev.genaiplatform.evaluation.golden;

import java.util.List;
import java.util.Map;

/**
 * One question of a golden set and what a good answer to it looks like.
 *
 * @param id                unique within its set
 * @param kind              what the platform must do: {@code answer}, {@code refuse} or {@code tool-call}
 * @param messages          the conversation sent, last message the question ({@code role}, {@code content})
 * @param reference         for {@code answer}: a reference answer written from the passage that answers it
 * @param sources           for {@code answer}: the documents an answer must cite; each entry is one required source
 *                          that any of its paths satisfies (the same fact often appears in two documents)
 * @param expectedTool      for {@code tool-call}: the function the model must call
 * @param expectedArguments for {@code tool-call}: arguments the call must carry; values compare without case or spaces
 * @param tags              free labels for slicing a report ({@code out-of-scope}, {@code unanswerable}, ...)
 * @param tools             OpenAI tool definitions offered with the question (from the case's home set)
 */
public record GoldenCase(String id, Kind kind, List<Map<String, Object>> messages, String reference,
                         List<List<String>> sources, String expectedTool, Map<String, String> expectedArguments,
                         List<String> tags, List<Map<String, Object>> tools) {

    public GoldenCase {
        messages = messages == null ? List.of() : List.copyOf(messages);
        sources = sources == null ? List.of() : sources.stream().map(List::copyOf).toList();
        expectedArguments = expectedArguments == null ? Map.of() : Map.copyOf(expectedArguments);
        tags = tags == null ? List.of() : List.copyOf(tags);
        tools = tools == null ? List.of() : List.copyOf(tools);
    }

    /** The last user message: what the case asks. */
    public String question() {
        for (int i = messages.size() - 1; i >= 0; i--) {
            if ("user".equals(messages.get(i).get("role"))) {
                return String.valueOf(messages.get(i).get("content"));
            }
        }
        return "";
    }

    public enum Kind {
        /** A grounded, cited answer is expected. */
        ANSWER,
        /** The platform must decline: out of scope, or not in the corpus. */
        REFUSE,
        /** The model must ask for a call of one of the client's tools. */
        TOOL_CALL;

        public static Kind parse(String value) {
            return switch (value) {
                case "answer" -> ANSWER;
                case "refuse" -> REFUSE;
                case "tool-call" -> TOOL_CALL;
                default -> throw new IllegalArgumentException("unknown kind '" + value
                        + "' (expected answer, refuse or tool-call)");
            };
        }
    }
}
