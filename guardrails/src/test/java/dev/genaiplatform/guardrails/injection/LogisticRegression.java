package dev.genaiplatform.guardrails.injection;

import java.util.List;

/**
 * Binary logistic regression by full-batch gradient descent with L2 and balanced class weights: the whole
 * training algorithm of the injection classifier, small enough to read. Deterministic.
 */
public final class LogisticRegression {

    static final int EPOCHS = 600;
    static final double LEARNING_RATE = 2.0;
    static final double L2 = 1e-4;

    public final double[] weights;
    public double bias;

    private LogisticRegression(int dimensions) {
        this.weights = new double[dimensions];
    }

    public static LogisticRegression train(List<float[]> features, List<Boolean> labels) {
        int n = features.size();
        int d = features.getFirst().length;
        long positives = labels.stream().filter(Boolean::booleanValue).count();
        double positiveWeight = n / (2.0 * positives);
        double negativeWeight = n / (2.0 * (n - positives));
        LogisticRegression model = new LogisticRegression(d);
        double[] gradient = new double[d];
        for (int epoch = 0; epoch < EPOCHS; epoch++) {
            java.util.Arrays.fill(gradient, 0);
            double biasGradient = 0;
            double totalWeight = 0;
            for (int i = 0; i < n; i++) {
                float[] x = features.get(i);
                double weight = labels.get(i) ? positiveWeight : negativeWeight;
                double error = (model.probability(x) - (labels.get(i) ? 1 : 0)) * weight;
                for (int j = 0; j < d; j++) {
                    gradient[j] += error * x[j];
                }
                biasGradient += error;
                totalWeight += weight;
            }
            for (int j = 0; j < d; j++) {
                model.weights[j] -= LEARNING_RATE * (gradient[j] / totalWeight + L2 * model.weights[j]);
            }
            model.bias -= LEARNING_RATE * biasGradient / totalWeight;
        }
        return model;
    }

    public double probability(float[] x) {
        double z = bias;
        for (int j = 0; j < weights.length; j++) {
            z += weights[j] * x[j];
        }
        return 1 / (1 + Math.exp(-z));
    }
}
