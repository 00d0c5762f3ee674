package dev.genaiplatform.orchestrator.semantic;

import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;

/**
 * all-MiniLM-L6-v2 (int8 ONNX, 384 dimensions, L2-normalised vectors), in process: the same offline model
 * retrieval uses, shipped inside langchain4j's jar. Loaded on first use, so a service that never meets an
 * eligible question never pays its ~0.35 GB.
 */
public final class QuestionEmbedder {

    static {
        // Before DJL (the tokenizer) loads: no telemetry probe, no downloads (see STACK.md).
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("DJL_OFFLINE", "true");
        System.setProperty("OPT_OUT_TRACKING", "true");
    }

    private volatile AllMiniLmL6V2QuantizedEmbeddingModel model;

    public float[] embed(String text) {
        AllMiniLmL6V2QuantizedEmbeddingModel loaded = this.model;
        if (loaded == null) {
            synchronized (this) {
                if (this.model == null) {
                    this.model = new AllMiniLmL6V2QuantizedEmbeddingModel();
                }
                loaded = this.model;
            }
        }
        return loaded.embed(text).content().vector();
    }

    /** Both vectors are normalised, so the dot product is the cosine similarity. */
    public static double cosine(float[] a, float[] b) {
        double dot = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
        }
        return dot;
    }
}
