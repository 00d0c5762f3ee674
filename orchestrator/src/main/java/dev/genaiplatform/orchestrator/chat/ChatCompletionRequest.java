package dev.genaiplatform.orchestrator.chat;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.genaiplatform.contracts.guardrails.ChatMessage;
import dev.genaiplatform.orchestrator.prompt.Turn;
import dev.genaiplatform.orchestrator.provider.ModelRequest;
import org.springframework.ai.tool.definition.ToolDefinition;
import org.springframework.util.StringUtils;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The body of {@code POST /v1/chat/completions}, as OpenAI defines it. The sampling and tool fields are
 * passed to the model as the client sent them (see {@link #modelRequest()}); fields the platform does not
 * know (logprobs, ...) are ignored.
 *
 * @param model               the client-facing model name; {@code platform.orchestrator.models} maps it to a provider
 * @param messages            the conversation, oldest first
 * @param stream              {@code true} for server-sent events
 * @param streamOptions       {@code include_usage} asks for a final usage chunk when streaming
 * @param temperature         sampling temperature
 * @param topP                nucleus sampling
 * @param maxTokens           upper bound on the answer's length (older name)
 * @param maxCompletionTokens upper bound on the answer's length (newer name; wins over {@code max_tokens})
 * @param stop                a stop sequence or a list of them
 * @param seed                seed for reproducible sampling
 * @param n                   number of choices; only 1 is supported
 * @param user                the end user's id, forwarded to the provider
 * @param tools               the client's tools, offered to the model as definitions; the client runs them
 * @param toolChoice          {@code "auto"}, {@code "none"}, {@code "required"} or a named function
 * @param parallelToolCalls   whether the model may call several tools at once
 * @param responseFormat      {@code text}, {@code json_object} or {@code json_schema}
 * @param vectorStoreIds      the platform's own field: the tenant's vector stores to search (empty: the default)
 * @param hyde                the platform's own field: true/false asks retrieval for/against HyDE (a hypothetical
 *                            answer embedded instead of the question); absent = the stores' or retrieval's default
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ChatCompletionRequest(
        String model,
        List<Message> messages,
        Boolean stream,
        @JsonProperty("stream_options") StreamOptions streamOptions,
        Double temperature,
        @JsonProperty("top_p") Double topP,
        @JsonProperty("max_tokens") Integer maxTokens,
        @JsonProperty("max_completion_tokens") Integer maxCompletionTokens,
        JsonNode stop,
        Integer seed,
        Integer n,
        String user,
        List<Tool> tools,
        @JsonProperty("tool_choice") JsonNode toolChoice,
        @JsonProperty("parallel_tool_calls") Boolean parallelToolCalls,
        @JsonProperty("response_format") JsonNode responseFormat,
        @JsonProperty("vector_store_ids") List<String> vectorStoreIds,
        Boolean hyde) {

    public ChatCompletionRequest {
        vectorStoreIds = vectorStoreIds == null ? List.of() : List.copyOf(vectorStoreIds);
    }

    /** {@code developer} is OpenAI's newer name for {@code system}. */
    private static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant", "tool");
    private static final Set<String> FORMATS = Set.of("text", "json_object", "json_schema");
    private static final Set<String> TOOL_CHOICES = Set.of("auto", "none", "required");

    /**
     * One message. {@code content} is a string, an array of text parts (joined), or null for an assistant
     * message that only calls tools.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Message(String role, JsonNode content, @JsonProperty("tool_calls") List<ToolCall> toolCalls,
                          @JsonProperty("tool_call_id") String toolCallId) {

        /** The text of the message; text parts are joined, anything else is ignored. */
        String text() {
            if (this.content == null || this.content.isNull()) {
                return "";
            }
            if (this.content.isString()) {
                return this.content.asString();
            }
            StringBuilder text = new StringBuilder();
            this.content.forEach(part -> text.append(part.path("text").asString("")));
            return text.toString();
        }

        /** {@code developer} travels as {@code system}. */
        String normalizedRole() {
            return "developer".equals(this.role) ? "system" : this.role;
        }
    }

    /** A tool call in an assistant message, as the model produced it earlier in the conversation. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ToolCall(String id, String type, Function function) {
    }

    /** The function part of a tool call: its name and its arguments as JSON text. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Function(String name, String arguments) {
    }

    /** A tool the client offers: {@code {"type": "function", "function": {name, description, parameters}}}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Tool(String type, FunctionDefinition function) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record FunctionDefinition(String name, String description, JsonNode parameters) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record StreamOptions(@JsonProperty("include_usage") Boolean includeUsage) {
    }

    boolean streaming() {
        return Boolean.TRUE.equals(this.stream);
    }

    boolean includeUsage() {
        return this.streamOptions != null && Boolean.TRUE.equals(this.streamOptions.includeUsage());
    }

    /**
     * Checks what the flow relies on. The gateway validates too; this is defense in depth, because a
     * malformed request must become a 400 here rather than an odd failure three services later.
     */
    void validate() {
        if (!StringUtils.hasText(this.model)) {
            throw ChatCompletionException.missing("model");
        }
        if (this.messages == null || this.messages.isEmpty()) {
            throw new ChatCompletionException(dev.genaiplatform.contracts.problem.ProblemType.EMPTY_ARRAY,
                    "'messages' must contain at least one message.", "messages", null, null);
        }
        for (int i = 0; i < this.messages.size(); i++) {
            validateMessage(i, this.messages.get(i));
        }
        if (this.messages.stream().noneMatch(m -> "user".equals(m.role()))) {
            throw ChatCompletionException.invalidValue("messages", "'messages' must contain a user message.");
        }
        if (this.temperature != null && (this.temperature < 0 || this.temperature > 2)) {
            throw ChatCompletionException.invalidValue("temperature", "'temperature' must be between 0 and 2.");
        }
        if (this.topP != null && (this.topP < 0 || this.topP > 1)) {
            throw ChatCompletionException.invalidValue("top_p", "'top_p' must be between 0 and 1.");
        }
        if (this.maxTokens != null && this.maxTokens < 1 || this.maxCompletionTokens != null && this.maxCompletionTokens < 1) {
            throw ChatCompletionException.invalidValue("max_tokens", "'max_tokens' and 'max_completion_tokens' must be positive.");
        }
        if (this.n != null && this.n != 1) {
            // One answer per request keeps citations, events and streaming simple; clients can send n requests.
            throw ChatCompletionException.invalidValue("n", "'n' greater than 1 is not supported; send one request per choice.");
        }
        stopSequences();
        validateTools();
        responseFormatOrNull();
        for (String store : this.vectorStoreIds) {
            if (!StringUtils.hasText(store)) {
                throw ChatCompletionException.invalidValue("vector_store_ids", "'vector_store_ids' must hold non-empty ids.");
            }
        }
    }

    private static void validateMessage(int i, Message message) {
        if (message == null || !ROLES.contains(message.role())) {
            throw ChatCompletionException.invalidValue("messages[" + i + "].role",
                    "messages[" + i + "].role must be one of system, developer, user, assistant, tool.");
        }
        boolean callsTools = message.toolCalls() != null && !message.toolCalls().isEmpty();
        boolean textContent = message.content() != null
                && (message.content().isString() || message.content().isArray());
        if (!textContent && !("assistant".equals(message.role()) && callsTools)) {
            throw ChatCompletionException.invalidValue("messages[" + i + "].content",
                    "messages[" + i + "].content must be a string.");
        }
        if ("tool".equals(message.role()) && !StringUtils.hasText(message.toolCallId())) {
            throw ChatCompletionException.invalidValue("messages[" + i + "].tool_call_id",
                    "messages[" + i + "].tool_call_id is required for a tool message.");
        }
        if (callsTools) {
            for (ToolCall call : message.toolCalls()) {
                if (call == null || !StringUtils.hasText(call.id()) || call.function() == null
                        || !StringUtils.hasText(call.function().name())) {
                    throw ChatCompletionException.invalidValue("messages[" + i + "].tool_calls",
                            "messages[" + i + "].tool_calls need an id and a function name.");
                }
            }
        }
    }

    /** Spring AI refuses duplicate names and malformed choices with exceptions that would read as a 500. */
    private void validateTools() {
        Set<String> names = new java.util.HashSet<>();
        List<Tool> offered = this.tools == null ? List.of() : this.tools;
        for (int i = 0; i < offered.size(); i++) {
            Tool tool = offered.get(i);
            if (tool == null || !"function".equals(tool.type()) || tool.function() == null
                    || !StringUtils.hasText(tool.function().name())) {
                throw ChatCompletionException.invalidValue("tools[" + i + "]",
                        "tools[" + i + "] must be {\"type\": \"function\", \"function\": {\"name\": ...}}.");
            }
            if (!names.add(tool.function().name())) {
                throw ChatCompletionException.invalidValue("tools",
                        "tools: duplicate function name '" + tool.function().name() + "'.");
            }
        }
        if (this.toolChoice == null || this.toolChoice.isNull()) {
            return;
        }
        boolean keyword = this.toolChoice.isString() && TOOL_CHOICES.contains(this.toolChoice.asString());
        boolean named = this.toolChoice.isObject() && "function".equals(this.toolChoice.path("type").asString(""))
                && names.contains(this.toolChoice.path("function").path("name").asString(""));
        if (!keyword && !named) {
            throw ChatCompletionException.invalidValue("tool_choice", "'tool_choice' must be auto, none, required, or "
                    + "{\"type\": \"function\", \"function\": {\"name\": <one of the offered tools>}}.");
        }
    }

    /** The conversation in the platform's wire form, for guardrails: every role's text and tool call is checked. */
    List<ChatMessage> conversation() {
        return this.messages.stream().map(m -> new ChatMessage(m.normalizedRole(), m.text(),
                m.toolCalls() == null ? List.of() : m.toolCalls().stream()
                        .map(c -> new dev.genaiplatform.contracts.guardrails.ToolCall(c.id(), c.function().name(),
                                c.function().arguments()))
                        .toList())).toList();
    }

    /** Everything that will reach a model, for guardrails: messages, tool calls, tools, schema, stop, user. */
    dev.genaiplatform.contracts.guardrails.CheckInputCommand checkCommand(String requestId) {
        List<dev.genaiplatform.contracts.guardrails.ToolDefinition> offered = this.tools == null ? List.of()
                : this.tools.stream().map(t -> new dev.genaiplatform.contracts.guardrails.ToolDefinition(
                        t.function().name(), t.function().description(),
                        t.function().parameters() == null || t.function().parameters().isNull() ? null
                                : t.function().parameters().toString())).toList();
        ModelRequest.ResponseFormat format = responseFormatOrNull();
        return new dev.genaiplatform.contracts.guardrails.CheckInputCommand(requestId, conversation(), offered,
                format == null ? null : format.schema(), stopSequences(), this.user, null);
    }

    /**
     * The question, when the semantic cache may answer this request: one user message, nothing else from the
     * conversation but system messages, no tools and no structured output. Anything more specific is exact-only.
     */
    java.util.Optional<String> semanticQuestion() {
        boolean oneUserTurn = this.messages.stream().filter(m -> "user".equals(m.role())).count() == 1
                && this.messages.stream().allMatch(m -> "user".equals(m.role()) || "system".equals(m.normalizedRole()));
        if (!oneUserTurn || usesTools() || this.responseFormat != null && !this.responseFormat.isNull()) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(lastUserText().strip());
    }

    /** The client's own system messages, part of the semantic cache's scope. */
    String clientSystemText() {
        StringBuilder text = new StringBuilder();
        this.messages.stream().filter(m -> "system".equals(m.normalizedRole())).forEach(m -> text.append(m.text()).append('\n'));
        return text.toString();
    }

    /** The newest user message's text, for the router. */
    String lastUserText() {
        for (int i = this.messages.size() - 1; i >= 0; i--) {
            if ("user".equals(this.messages.get(i).role())) {
                return this.messages.get(i).text();
            }
        }
        return "";
    }

    String allText() {
        StringBuilder text = new StringBuilder();
        this.messages.forEach(m -> text.append(m.text()).append('\n'));
        return text.toString();
    }

    boolean usesTools() {
        return this.tools != null && !this.tools.isEmpty();
    }

    boolean wantsJson() {
        ModelRequest.ResponseFormat format = responseFormatOrNull();
        return format != null && (format.jsonObject() || format.jsonSchema());
    }

    /** The tool definitions as the model reads them, to count their tokens. */
    String toolsText() {
        if (this.tools == null) {
            return "";
        }
        StringBuilder text = new StringBuilder();
        for (Tool tool : this.tools) {
            text.append(tool.function().name()).append(' ')
                    .append(tool.function().description() == null ? "" : tool.function().description()).append(' ')
                    .append(tool.function().parameters() == null ? "" : tool.function().parameters().toString());
        }
        return text.toString();
    }

    /**
     * What decides the answer, normalised, for the exact cache key: messages (role, whitespace-collapsed text,
     * tool calls), sampling parameters, tools, tool choice, response format and vector stores. Not {@code stream}:
     * a streamed request may be served from a whole answer and back.
     */
    String cacheMaterial(tools.jackson.databind.json.JsonMapper json) {
        java.util.Map<String, Object> material = new java.util.LinkedHashMap<>();
        material.put("messages", this.messages.stream().map(m -> java.util.Arrays.asList(m.normalizedRole(),
                m.text().strip().replaceAll("\\s+", " "),
                m.toolCalls() == null ? null : m.toolCalls().stream()
                        .map(c -> c.function().name() + "(" + c.function().arguments() + ")").toList(),
                m.toolCallId())).toList());
        material.put("sampling", java.util.Arrays.asList(this.temperature, this.topP, this.maxTokens,
                this.maxCompletionTokens, this.seed, stopSequences()));
        material.put("tools", this.tools == null ? null : this.tools.stream()
                .map(t -> java.util.Arrays.asList(t.function().name(), t.function().description(),
                        t.function().parameters() == null ? null : t.function().parameters().toString())).toList());
        material.put("toolChoice", toolChoiceText());
        material.put("parallelToolCalls", this.parallelToolCalls);
        material.put("responseFormat", this.responseFormat == null ? null : this.responseFormat.toString());
        material.put("vectorStores", this.vectorStoreIds.stream().sorted().toList());
        if (this.hyde != null) {
            material.put("hyde", this.hyde);   // other passages, another answer
        }
        return json.writeValueAsString(material);
    }

    /**
     * The conversation for the prompt: the (possibly redacted) texts from guardrails, one per message and
     * in order, with each message's tool calls and tool call id kept from the original.
     */
    List<Turn> turns(List<ChatMessage> checked) {
        if (checked.size() != this.messages.size()) {
            throw new IllegalStateException("guardrails returned " + checked.size() + " messages for "
                    + this.messages.size());
        }
        List<Turn> turns = new ArrayList<>(checked.size());
        for (int i = 0; i < checked.size(); i++) {
            Message original = this.messages.get(i);
            List<Turn.ToolCall> calls = original.toolCalls() == null ? List.of() : original.toolCalls().stream()
                    .map(call -> new Turn.ToolCall(call.id(), call.function().name(),
                            call.function().arguments() == null ? "{}" : call.function().arguments()))
                    .toList();
            turns.add(new Turn(original.normalizedRole(), checked.get(i).content(), calls, original.toolCallId()));
        }
        return turns;
    }

    /** What the model is asked for, besides the messages. */
    ModelRequest modelRequest() {
        List<ToolDefinition> definitions = this.tools == null ? List.of() : this.tools.stream()
                .map(tool -> ToolDefinition.builder()
                        .name(tool.function().name())
                        .description(tool.function().description() == null ? "" : tool.function().description())
                        .inputSchema(tool.function().parameters() == null || tool.function().parameters().isNull()
                                ? "{\"type\":\"object\",\"properties\":{}}" : tool.function().parameters().toString())
                        .build())
                .toList();
        return new ModelRequest(this.temperature, this.topP, this.maxTokens, this.maxCompletionTokens,
                stopSequences(), this.seed, this.user, definitions, toolChoiceText(), this.parallelToolCalls,
                responseFormatOrNull());
    }

    private List<String> stopSequences() {
        if (this.stop == null || this.stop.isNull()) {
            return List.of();
        }
        if (this.stop.isString()) {
            return List.of(this.stop.asString());
        }
        if (this.stop.isArray() && this.stop.size() <= 4) {
            List<String> sequences = new ArrayList<>();
            for (JsonNode sequence : this.stop) {
                if (!sequence.isString()) {
                    break;
                }
                sequences.add(sequence.asString());
            }
            if (sequences.size() == this.stop.size()) {
                return sequences;
            }
        }
        throw ChatCompletionException.invalidValue("stop", "'stop' must be a string or a list of up to 4 strings.");
    }

    /** {@code "auto"} and friends as is; a named function as its JSON text, which Spring AI parses. */
    private String toolChoiceText() {
        if (this.toolChoice == null || this.toolChoice.isNull()) {
            return null;
        }
        return this.toolChoice.isString() ? this.toolChoice.asString() : this.toolChoice.toString();
    }

    private ModelRequest.ResponseFormat responseFormatOrNull() {
        if (this.responseFormat == null || this.responseFormat.isNull()) {
            return null;
        }
        String type = this.responseFormat.path("type").asString("");
        if (!FORMATS.contains(type)) {
            throw ChatCompletionException.invalidValue("response_format.type",
                    "'response_format.type' must be text, json_object or json_schema.");
        }
        if (!"json_schema".equals(type)) {
            return new ModelRequest.ResponseFormat(type, null, null);
        }
        JsonNode jsonSchema = this.responseFormat.path("json_schema");
        if (!jsonSchema.path("schema").isObject()) {
            throw ChatCompletionException.invalidValue("response_format.json_schema.schema",
                    "'response_format.json_schema.schema' must be a JSON schema object.");
        }
        JsonNode strict = jsonSchema.path("strict");
        return new ModelRequest.ResponseFormat(type, jsonSchema.get("schema").toString(),
                strict.isBoolean() ? strict.asBoolean() : null);
    }
}
