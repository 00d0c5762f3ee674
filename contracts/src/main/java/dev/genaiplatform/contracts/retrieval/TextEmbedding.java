package dev.genaiplatform.contracts.retrieval;

import java.util.Arrays;
import java.util.Objects;

/**
 * A text's embedding, handed on so the next service does not compute it again. Embedding the question is the
 * dearest step of a request; guardrails' classifier, the semantic cache and retrieval all want it. The receiver
 * uses it only when {@code model} is the model it would use and {@code text} is exactly the text it would embed;
 * otherwise it embeds the text itself, so a stale or foreign vector can cost time but never change a result.
 *
 * @param model  the embedding model's name, e.g. {@code all-MiniLM-L6-v2-q}
 * @param text   the text that was embedded
 * @param vector the embedding as the model returned it
 */
public record TextEmbedding(String model, String text, float[] vector) {

    /** The name every service gives the offline model they share: all-MiniLM-L6-v2, int8 ONNX, 384 dimensions. */
    public static final String MINILM_L6_V2_Q = "all-MiniLM-L6-v2-q";

    /** Whether this is the embedding of {@code expectedText} by {@code expectedModel}, usable instead of a new one. */
    public boolean matches(String expectedModel, String expectedText) {
        return this.vector != null && this.vector.length > 0 && Objects.equals(this.model, expectedModel)
                && Objects.equals(this.text, expectedText);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TextEmbedding that && Objects.equals(this.model, that.model)
                && Objects.equals(this.text, that.text) && Arrays.equals(this.vector, that.vector);
    }

    @Override
    public int hashCode() {
        return Objects.hash(this.model, this.text, Arrays.hashCode(this.vector));
    }

    @Override
    public String toString() {
        return "TextEmbedding[" + this.model + ", " + (this.vector == null ? 0 : this.vector.length) + " dims]";
    }
}
