package dev.genaiplatform.guardrails.injection;

import java.util.List;
import java.util.Random;

/**
 * A small non-linear alternative to {@link LogisticRegression}: one hidden layer of tanh units, a sigmoid output,
 * balanced class weights, L2, trained by mini-batch Adam. Deterministic for the seed. Small enough to read.
 */
final class TwoLayerNetwork {

    static final int EPOCHS = 40;
    static final int BATCH = 32;
    static final double LEARNING_RATE = 0.005;
    static final double L2 = 1e-4;

    final double[][] hiddenWeights;
    final double[] hiddenBias;
    final double[] outputWeights;
    double outputBias;

    private TwoLayerNetwork(int inputs, int hidden, Random random) {
        hiddenWeights = new double[hidden][inputs];
        hiddenBias = new double[hidden];
        outputWeights = new double[hidden];
        double scale = Math.sqrt(1.0 / inputs);
        for (double[] row : hiddenWeights) {
            for (int j = 0; j < inputs; j++) {
                row[j] = random.nextGaussian() * scale;
            }
        }
        for (int h = 0; h < hidden; h++) {
            outputWeights[h] = random.nextGaussian() * Math.sqrt(1.0 / hidden);
        }
    }

    static TwoLayerNetwork train(List<float[]> features, List<Boolean> labels, int hidden, long seed) {
        return train(features, labels, hidden, seed, L2);
    }

    static TwoLayerNetwork train(List<float[]> features, List<Boolean> labels, int hidden, long seed, double l2) {
        int n = features.size();
        int d = features.getFirst().length;
        Random random = new Random(seed);
        TwoLayerNetwork net = new TwoLayerNetwork(d, hidden, random);
        long positives = labels.stream().filter(Boolean::booleanValue).count();
        double positiveWeight = n / (2.0 * positives);
        double negativeWeight = n / (2.0 * (n - positives));
        Adam w1 = new Adam(hidden * d);
        Adam b1 = new Adam(hidden);
        Adam w2 = new Adam(hidden);
        Adam b2 = new Adam(1);
        int[] order = java.util.stream.IntStream.range(0, n).toArray();
        double[] activation = new double[hidden];
        for (int epoch = 0; epoch < EPOCHS; epoch++) {
            for (int i = n - 1; i > 0; i--) {
                int k = random.nextInt(i + 1);
                int t = order[i];
                order[i] = order[k];
                order[k] = t;
            }
            for (int from = 0; from < n; from += BATCH) {
                int to = Math.min(n, from + BATCH);
                double[] gw1 = new double[hidden * d];
                double[] gb1 = new double[hidden];
                double[] gw2 = new double[hidden];
                double gb2 = 0;
                double total = 0;
                for (int b = from; b < to; b++) {
                    float[] x = features.get(order[b]);
                    boolean label = labels.get(order[b]);
                    double weight = label ? positiveWeight : negativeWeight;
                    double p = net.forward(x, activation);
                    double error = (p - (label ? 1 : 0)) * weight;
                    gb2 += error;
                    for (int h = 0; h < hidden; h++) {
                        gw2[h] += error * activation[h];
                        double back = error * net.outputWeights[h] * (1 - activation[h] * activation[h]);
                        gb1[h] += back;
                        int offset = h * d;
                        for (int j = 0; j < d; j++) {
                            gw1[offset + j] += back * x[j];
                        }
                    }
                    total += weight;
                }
                for (int h = 0; h < hidden; h++) {
                    for (int j = 0; j < d; j++) {
                        gw1[h * d + j] = gw1[h * d + j] / total + l2 * net.hiddenWeights[h][j];
                    }
                    gb1[h] /= total;
                    gw2[h] = gw2[h] / total + l2 * net.outputWeights[h];
                }
                w1.step(gw1, index -> net.hiddenWeights[index / d], index -> index % d);
                b1.step(gb1, index -> net.hiddenBias, index -> index);
                w2.step(gw2, index -> net.outputWeights, index -> index);
                double[] outputBias = {net.outputBias};
                b2.step(new double[] {gb2 / total}, index -> outputBias, index -> 0);
                net.outputBias = outputBias[0];
            }
        }
        return net;
    }

    private double forward(float[] x, double[] activation) {
        double z = outputBias;
        for (int h = 0; h < hiddenBias.length; h++) {
            double a = hiddenBias[h];
            double[] row = hiddenWeights[h];
            for (int j = 0; j < row.length; j++) {
                a += row[j] * x[j];
            }
            activation[h] = Math.tanh(a);
            z += outputWeights[h] * activation[h];
        }
        return 1 / (1 + Math.exp(-z));
    }

    double probability(float[] x) {
        return forward(x, new double[hiddenBias.length]);
    }

    /** Adam's moment estimates for one parameter block, updating it in place. */
    private static final class Adam {
        private final double[] m;
        private final double[] v;
        private int t;

        Adam(int size) {
            m = new double[size];
            v = new double[size];
        }

        void step(double[] gradient, java.util.function.IntFunction<double[]> array,
                  java.util.function.IntUnaryOperator index) {
            t++;
            double correction1 = 1 - Math.pow(0.9, t);
            double correction2 = 1 - Math.pow(0.999, t);
            for (int i = 0; i < gradient.length; i++) {
                m[i] = 0.9 * m[i] + 0.1 * gradient[i];
                v[i] = 0.999 * v[i] + 0.001 * gradient[i] * gradient[i];
                array.apply(i)[index.applyAsInt(i)] -= LEARNING_RATE * (m[i] / correction1) / (Math.sqrt(v[i] / correction2) + 1e-8);
            }
        }
    }
}
