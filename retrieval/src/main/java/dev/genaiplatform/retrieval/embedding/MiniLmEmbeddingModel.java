package dev.genaiplatform.retrieval.embedding;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import org.springframework.ai.document.Document;
import org.springframework.ai.embedding.Embedding;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.embedding.EmbeddingRequest;
import org.springframework.ai.embedding.EmbeddingResponse;

import java.util.ArrayList;
import java.util.List;

/**
 * all-MiniLM-L6-v2 (int8-quantised ONNX, 384 dimensions) as a Spring AI {@link EmbeddingModel}, running in
 * process. The model and its tokenizer ship inside langchain4j's jar, so nothing is downloaded and no API key
 * is needed. Vectors come out L2-normalised.
 *
 * <p>Why langchain4j's packaging and not {@code spring-ai-transformers}: the latter's jar holds only a Git LFS
 * pointer instead of the model and its pooling pulls DJL's PyTorch engine, which downloads libtorch. Here the
 * pooling is plain Java. Texts longer than the model's 510-token window are split and averaged by langchain4j,
 * not silently cut, but a long text still blurs into one vector: chunk first.
 */
public final class MiniLmEmbeddingModel implements EmbeddingModel {

    static {
        // Before DJL (the tokenizer) loads: no telemetry probe to 169.254.169.254, no downloads. Also set in
        // RetrievalApplication.main; repeated here because tests and benchmarks create the model without main.
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("OPT_OUT_TRACKING", "true");
    }

    private static final int DIMENSIONS = 384;

    private final dev.langchain4j.model.embedding.EmbeddingModel delegate = new AllMiniLmL6V2QuantizedEmbeddingModel();

    @Override
    public EmbeddingResponse call(EmbeddingRequest request) {
        List<TextSegment> segments = request.getInstructions().stream().map(TextSegment::from).toList();
        if (segments.isEmpty()) {
            return new EmbeddingResponse(List.of());
        }
        List<dev.langchain4j.data.embedding.Embedding> vectors = delegate.embedAll(segments).content();
        List<Embedding> embeddings = new ArrayList<>(vectors.size());
        for (int i = 0; i < vectors.size(); i++) {
            embeddings.add(new Embedding(vectors.get(i).vector(), i));
        }
        return new EmbeddingResponse(embeddings);
    }

    @Override
    public float[] embed(Document document) {
        return embed(getEmbeddingContent(document));
    }

    /** Known up front; the interface's default would embed a probe sentence to find out. */
    @Override
    public int dimensions() {
        return DIMENSIONS;
    }
}
