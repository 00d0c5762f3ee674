package dev.genaiplatform.gateway.budget;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import tools.jackson.databind.JsonNode;

/**
 * What a chat completion may cost before it runs: the prompt's tokens (cl100k_base, OpenAI's encoding for the
 * GPT-4 family; other models tokenise differently, so this is an estimate the reconciliation corrects) plus the
 * completion tokens the request allows. Counts message text, tool definitions and tool-call arguments, plus
 * OpenAI's few tokens of framing per message.
 */
public final class TokenEstimator {

    private static final int TOKENS_PER_MESSAGE = 4;

    private static final int TOKENS_PER_REQUEST = 3;

    private final Encoding encoding = Encodings.newDefaultEncodingRegistry().getEncoding(EncodingType.CL100K_BASE);

    private final int defaultMaxTokens;

    public TokenEstimator(int defaultMaxTokens) {
        this.defaultMaxTokens = defaultMaxTokens;
    }

    public long promptTokens(JsonNode request) {
        long tokens = TOKENS_PER_REQUEST;
        for (JsonNode message : request.path("messages")) {
            tokens += TOKENS_PER_MESSAGE + count(message.get("content")) + count(message.get("name"))
                    + count(message.get("tool_calls"));
        }
        return tokens + count(request.get("tools"));
    }

    /** {@code max_completion_tokens}, else {@code max_tokens}, else the configured default; times {@code n}. */
    public long completionTokens(JsonNode request) {
        JsonNode max = request.hasNonNull("max_completion_tokens") ? request.get("max_completion_tokens") : request.get("max_tokens");
        long perChoice = max != null && max.isIntegralNumber() ? max.asLong() : defaultMaxTokens;
        JsonNode n = request.get("n");
        return perChoice * (n != null && n.isIntegralNumber() ? Math.max(1, n.asLong()) : 1);
    }

    private long count(JsonNode node) {
        if (node == null || node.isNull()) {
            return 0;
        }
        if (node.isString()) {
            return encoding.countTokens(node.asString());
        }
        if (node.isArray() && node.size() > 0 && node.get(0).has("type") && node.get(0).has("text")) {
            long tokens = 0;
            for (JsonNode part : node) {
                tokens += count(part.get("text"));
            }
            return tokens;
        }
        return encoding.countTokens(node.toString()); // tools, tool calls: their JSON, as the model reads it
    }
}
