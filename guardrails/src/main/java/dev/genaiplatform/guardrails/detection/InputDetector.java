package dev.genaiplatform.guardrails.detection;

import dev.genaiplatform.contracts.guardrails.ChatMessage;

import java.util.List;

/**
 * One check of a chat request's input. Every detector plugs in here, and the {@link GuardrailPipeline}
 * runs them in a fixed order.
 *
 * <p>A detector sees the whole conversation, because some checks (size, say) are about all messages
 * together. It reports what it found as {@link Detection}s: spans to mask, or a reason to block. It never
 * changes the text itself, and its detections point at offsets in the ORIGINAL message text.
 *
 * <p>Implementations must be thread-safe, must not throw on odd input (null or empty content), and should run
 * in time linear in the input: guardrails sits on every request's path.
 */
public interface InputDetector {

    /** Short stable name, reported as {@code Finding.detector}, e.g. {@code pii}. */
    String name();

    /** What this detector finds in {@code messages}; empty when nothing. Message contents may be null. */
    List<Detection> detect(List<ChatMessage> messages);
}
