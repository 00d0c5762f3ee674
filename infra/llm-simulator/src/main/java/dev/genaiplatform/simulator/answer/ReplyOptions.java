package dev.genaiplatform.simulator.answer;

import java.util.List;

/**
 * Everything besides the messages that shapes the reply.
 *
 * @param tools          the functions offered, possibly none
 * @param toolChoice     whether and which tool to call; {@link ToolChoice#AUTO} when tools are offered
 *                       and the request said nothing
 * @param responseFormat text or JSON
 * @param sampling       temperature, top_p, seed, stop
 */
public record ReplyOptions(List<ToolDefinition> tools, ToolChoice toolChoice, ResponseFormat responseFormat,
                           Sampling sampling) {

    public static final ReplyOptions DEFAULT = new ReplyOptions(List.of(), ToolChoice.NONE, ResponseFormat.TEXT,
            Sampling.DETERMINISTIC);

    public ReplyOptions {
        tools = List.copyOf(tools);
    }
}
