package dev.genaiplatform.simulator.answer;

import dev.genaiplatform.simulator.model.ChatMessage;
import dev.genaiplatform.simulator.model.ToolCall;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Optional;

/**
 * Turns the grounded answer into the reply the request asked for, in this order:
 * <ol>
 *   <li>tool results after the last user message: the final answer from them ({@link ToolResultAnswerer}),
 *       never another call, whatever {@code tool_choice} says, so a client loop always ends;</li>
 *   <li>tools offered and a rule of {@link ToolCallDecider} fires: a tool call;</li>
 *   <li>{@code response_format} JSON: the answer as JSON ({@link ContextValues});</li>
 *   <li>otherwise the grounded text, worded per {@link WordingVariation}.</li>
 * </ol>
 * Text is then cut before the first stop sequence.
 */
public final class ReplyComposer {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final ToolCallDecider tools;

    public ReplyComposer() {
        this(TermAnalyzer.english());
    }

    ReplyComposer(TermAnalyzer analyzer) {
        this.tools = new ToolCallDecider(analyzer);
    }

    public ModelReply reply(List<ChatMessage> messages, ReplyOptions options, GroundedAnswer grounded) {
        return reply(messages, options, grounded, 0);
    }

    /**
     * Choice {@code choice} of {@code n}: choice 0 is the reply above; each further choice draws its wording
     * as if its seed were {@code seed + choice} (so choices differ only when the temperature is above 0),
     * and a tool call gets its own id.
     */
    public ModelReply reply(List<ChatMessage> messages, ReplyOptions options, GroundedAnswer grounded, int choice) {
        String question = lastUserMessage(messages);
        long conversation = fingerprint(messages) + choice;
        List<ChatMessage> results = ToolResultAnswerer.pendingResults(messages);
        GroundedAnswer answer = grounded;
        if (!results.isEmpty()) {
            answer = new GroundedAnswer(ToolResultAnswerer.answer(messages, results), List.of());
        } else {
            Optional<ToolCall> call = tools.decide(question, options.tools(), options.toolChoice(),
                    Long.toHexString(conversation));
            if (call.isPresent()) {
                return ModelReply.call(call.get());
            }
        }
        String content = switch (options.responseFormat()) {
            case ResponseFormat.JsonObject ignored -> JSON.writeValueAsString(jsonObject(answer));
            case ResponseFormat.JsonSchema format -> JSON.writeValueAsString(
                    SchemaInstanceWriter.write(format.schema(), new ContextValues(answer, question), false));
            case ResponseFormat.Text ignored -> WordingVariation.vary(answer, options.sampling().forChoice(choice),
                    conversation - choice);
        };
        return ModelReply.text(stopAt(content, options.sampling().stop()), answer.grounded());
    }

    /** {@code {"answer": "<sentences without markers>", "citations": [<passage numbers>]}}. */
    private static JsonNode jsonObject(GroundedAnswer answer) {
        ObjectNode object = JsonNodeFactory.instance.objectNode();
        object.put("answer", ContextValues.plainAnswer(answer));
        ArrayNode citations = object.putArray("citations");
        answer.citations().stream().distinct().forEach(citations::add);
        return object;
    }

    /** The text up to (not including) the earliest stop sequence. */
    static String stopAt(String text, List<String> stops) {
        int cut = text.length();
        for (String stop : stops) {
            int at = text.indexOf(stop);
            if (at >= 0 && at < cut) {
                cut = at;
            }
        }
        return text.substring(0, cut);
    }

    private static String lastUserMessage(List<ChatMessage> messages) {
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i).isUser()) {
                return messages.get(i).content();
            }
        }
        return "";
    }

    /** A hash of the conversation that is the same in every JVM, unlike a record's hashCode contract. */
    private static long fingerprint(List<ChatMessage> messages) {
        long h = 1125899906842597L;
        for (ChatMessage m : messages) {
            h = 31 * h + m.role().hashCode();
            h = 31 * h + m.content().hashCode();
        }
        return h;
    }
}
