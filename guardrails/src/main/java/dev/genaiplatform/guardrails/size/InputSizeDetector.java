package dev.genaiplatform.guardrails.size;

import dev.genaiplatform.guardrails.detection.CheckedText;
import dev.genaiplatform.guardrails.detection.Detection;
import dev.genaiplatform.guardrails.detection.InputDetector;

import java.util.List;
import java.util.Locale;

/**
 * Blocks a conversation whose messages hold more characters together than the configured limit. It protects
 * the model's context window, the cost budget and every detector after it (which then never scan huge input).
 *
 * <p>Characters are Unicode code points of every text that reaches the model: message contents, tool-call names
 * and arguments, tool names, descriptions and schemas, the response format schema, stop sequences and the user
 * field. Roles and JSON structure around them do not count.
 *
 * <p>What it does NOT do: it does not count tokens (a model's real limit; tokens per character vary by
 * language and script), it does not look at what the text says, and it does not truncate: an oversize
 * conversation is refused, not shortened. Many small requests that together cost a lot are a rate-limit
 * concern, handled at the gateway.
 */
public final class InputSizeDetector implements InputDetector {

    static final String NAME = "input-size";
    static final String CATEGORY = "INPUT_TOO_LARGE";

    private final int maxChars;

    public InputSizeDetector(int maxChars) {
        this.maxChars = maxChars;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<Detection> detect(List<CheckedText> texts) {
        long total = 0;
        int crossedAt = -1;
        for (int index = 0; index < texts.size(); index++) {
            String content = texts.get(index).text();
            total += content.codePointCount(0, content.length());
            if (crossedAt < 0 && total > maxChars) {
                crossedAt = index;
            }
        }
        if (crossedAt < 0) {
            return List.of();
        }
        String reason = String.format(Locale.ROOT,
                "The request is %,d characters long, more than the limit of %,d. Shorten it or split it into smaller requests.",
                total, maxChars);
        return List.of(new Detection.Block(NAME, CATEGORY, crossedAt, reason));
    }
}
