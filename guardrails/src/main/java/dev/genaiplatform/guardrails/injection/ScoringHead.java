package dev.genaiplatform.guardrails.injection;

import java.util.Arrays;

/**
 * What turns one MiniLM embedding into the probability of an injection. Two shapes, both trained in this
 * repository ({@code InjectionTrainer}) and read from {@code injection/classifier.txt}: a logistic regression
 * (the first two waves) and a network with one hidden layer of tanh units (shipped since the third wave: it
 * caught more attacks of families it never saw at the same false-positive rate; numbers in the README).
 */
public sealed interface ScoringHead {

    double probability(float[] features);

    /** {@code sigmoid(w·x + b)}. */
    record Linear(double[] weights, double bias) implements ScoringHead {

        public Linear {
            weights = weights.clone();
        }

        @Override
        public double probability(float[] x) {
            double z = bias;
            for (int j = 0; j < weights.length; j++) {
                z += weights[j] * x[j];
            }
            return sigmoid(z);
        }
    }

    /** {@code sigmoid(v·tanh(W x + c) + b)}; {@code hidden[h]} is row h of W. */
    record TwoLayer(double[][] hidden, double[] hiddenBias, double[] output, double outputBias) implements ScoringHead {

        public TwoLayer {
            hidden = Arrays.stream(hidden).map(double[]::clone).toArray(double[][]::new);
            hiddenBias = hiddenBias.clone();
            output = output.clone();
        }

        @Override
        public double probability(float[] x) {
            double z = outputBias;
            for (int h = 0; h < hidden.length; h++) {
                double a = hiddenBias[h];
                double[] row = hidden[h];
                for (int j = 0; j < row.length; j++) {
                    a += row[j] * x[j];
                }
                z += output[h] * Math.tanh(a);
            }
            return sigmoid(z);
        }
    }

    /**
     * Reads the weights file: comment lines start with {@code #}. Linear: the bias, then one weight per line.
     * Two-layer: a line {@code two-layer <hidden> <inputs>}, then per hidden unit its bias and its weights on one
     * line, then the output bias and the output weights on one line (numbers separated by spaces).
     */
    static ScoringHead parse(String text) {
        String[] lines = text.lines().filter(line -> !line.startsWith("#") && !line.isBlank()).toArray(String[]::new);
        if (lines[0].startsWith("two-layer")) {
            String[] shape = lines[0].trim().split("\\s+");
            int hiddenUnits = Integer.parseInt(shape[1]);
            double[][] hidden = new double[hiddenUnits][];
            double[] hiddenBias = new double[hiddenUnits];
            for (int h = 0; h < hiddenUnits; h++) {
                double[] numbers = numbers(lines[1 + h]);
                hiddenBias[h] = numbers[0];
                hidden[h] = Arrays.copyOfRange(numbers, 1, numbers.length);
            }
            double[] output = numbers(lines[1 + hiddenUnits]);
            return new TwoLayer(hidden, hiddenBias, Arrays.copyOfRange(output, 1, output.length), output[0]);
        }
        double[] weights = new double[lines.length - 1];
        for (int i = 1; i < lines.length; i++) {
            weights[i - 1] = Double.parseDouble(lines[i].trim());
        }
        return new Linear(weights, Double.parseDouble(lines[0].trim()));
    }

    private static double[] numbers(String line) {
        return Arrays.stream(line.trim().split("\\s+")).mapToDouble(Double::parseDouble).toArray();
    }

    private static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-z));
    }
}
