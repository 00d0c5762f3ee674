package dev.genaiplatform.launcher.scenario;

/** The back-of-the-envelope formulas the model-shaped questions need, in one place to check them. */
final class ModelArithmetic {

    static final double GIB = 1024.0 * 1024 * 1024;

    /** Bytes of the weights: parameters times bits per parameter. */
    static double weightBytes(double parameters, int bitsPerParameter) {
        return parameters * bitsPerParameter / 8.0;
    }

    /**
     * Bytes of the KV cache: a key and a value vector per layer, per KV head, per token.
     * {@code 2 * layers * kvHeads * headDim * bytesPerValue} per token.
     */
    static double kvCacheBytes(int layers, int kvHeads, int headDim, long tokens, int bytesPerValue) {
        return 2.0 * layers * kvHeads * headDim * bytesPerValue * tokens;
    }

    /** Training compute: about 6 floating-point operations per parameter per training token. */
    static double trainingFlops(double parameters, double tokens) {
        return 6.0 * parameters * tokens;
    }

    private ModelArithmetic() {
    }
}
