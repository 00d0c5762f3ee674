package dev.genaiplatform.guardrails.detection;

import java.util.List;

/**
 * One check of everything a request sends to a model. The {@link GuardrailPipeline} runs detectors in a fixed
 * order over the same list of texts (every message, tool-call arguments, tool definitions, the response format
 * schema, stop sequences, the user field).
 *
 * <p>A detector reports {@link Detection}s that point at offsets in the ORIGINAL text, by index into that list.
 * It never changes the text. What to do with a detection (mask, pseudonymise, block, only report) is the
 * policy's decision, not the detector's.
 *
 * <p>Implementations must be thread-safe, must not throw on odd input, and must run in time linear in the
 * input: guardrails sits on every request's path.
 */
public interface InputDetector {

    /** Short stable name, reported as {@code Finding.detector}, e.g. {@code pii}. */
    String name();

    /** What this detector finds in {@code texts}; empty when nothing. */
    List<Detection> detect(List<CheckedText> texts);
}
