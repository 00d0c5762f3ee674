package dev.genaiplatform.orchestrator.provider;

import org.springframework.ai.tool.definition.ToolDefinition;

import java.util.List;

/**
 * What the client asked of the model, in a provider-neutral form. Each {@link ChatProvider} translates it
 * into its own Spring AI options; a field that is {@code null} is left to the provider's default.
 *
 * @param temperature       sampling temperature
 * @param topP              nucleus sampling
 * @param maxTokens         OpenAI's older {@code max_tokens}: upper bound on the answer's tokens
 * @param maxCompletionTokens OpenAI's newer name for the same bound; wins when both are set
 * @param stop              sequences that end the answer
 * @param seed              seed for reproducible sampling, where the provider supports one
 * @param user              the end user's id, forwarded for the provider's abuse monitoring
 * @param tools             the client's own tools, as definitions only: the platform never runs them
 * @param toolChoice        OpenAI's {@code tool_choice}: {@code auto}, {@code none}, {@code required}, or the
 *                          JSON text of {@code {"type":"function","function":{"name":...}}}
 * @param parallelToolCalls OpenAI's {@code parallel_tool_calls}
 * @param responseFormat    structured output, or {@code null} for plain text
 */
public record ModelRequest(Double temperature, Double topP, Integer maxTokens, Integer maxCompletionTokens,
                           List<String> stop, Integer seed,
                           String user, List<ToolDefinition> tools, String toolChoice, Boolean parallelToolCalls,
                           ResponseFormat responseFormat) {

    public ModelRequest {
        stop = stop == null ? List.of() : List.copyOf(stop);
        tools = tools == null ? List.of() : List.copyOf(tools);
    }

    /** The answer's token limit whichever name the client used, or {@code null}. */
    public Integer answerTokenLimit() {
        return this.maxCompletionTokens != null ? this.maxCompletionTokens : this.maxTokens;
    }

    /**
     * OpenAI's {@code response_format}.
     *
     * @param type   {@code text}, {@code json_object} or {@code json_schema}
     * @param schema the JSON schema as JSON text (for {@code json_schema})
     * @param strict whether the provider must follow the schema exactly
     */
    public record ResponseFormat(String type, String schema, Boolean strict) {

        public boolean jsonObject() {
            return "json_object".equals(this.type);
        }

        public boolean jsonSchema() {
            return "json_schema".equals(this.type) && this.schema != null;
        }
    }
}
