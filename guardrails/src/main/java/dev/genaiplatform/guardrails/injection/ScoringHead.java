package dev.genaiplatform.guardrails.injection;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/**
 * What turns one MiniLM embedding into the probability of an injection. Two shapes, both trained in this
 * repository ({@code InjectionTrainer}) and read from {@code injection/classifier.txt}: a logistic regression
 * (the first two waves), a network with one hidden layer of tanh units, and the mean of both (shipped since the
 * third wave: it caught more attacks of families it never saw at the same false-positive rate; numbers in the
 * README).
 */
public sealed interface ScoringHead {

    /** The probability in [0, 1] that an embedding is an injection. */

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

    /** The mean of several heads' probabilities: a linear and a non-linear head disagree in different places. */
    record Mean(List<ScoringHead> heads) implements ScoringHead {

        public Mean {
            heads = List.copyOf(heads);
        }

        @Override
        public double probability(float[] x) {
            return heads.stream().mapToDouble(head -> head.probability(x)).average().orElse(0);
        }
    }

    /**
     * Reads the weights file; lines starting with {@code #} are comments, numbers are separated by spaces.
     * <ul>
     *   <li>{@code linear <inputs>}, then one line: the bias and the weights;</li>
     *   <li>{@code two-layer <hidden> <inputs>}, then per hidden unit a line with its bias and weights, then a line
     *       with the output bias and the output weights;</li>
     *   <li>{@code mean <k>}, then k heads;</li>
     *   <li>the first waves' file: the bias, then one weight per line (a linear head).</li>
     * </ul>
     */
    public static ScoringHead parse(String text) {
        List<String> lines = text.lines().filter(line -> !line.startsWith("#") && !line.isBlank()).map(String::trim).toList();
        if (!Character.isLetter(lines.getFirst().charAt(0))) {
            double[] weights = lines.stream().skip(1).mapToDouble(Double::parseDouble).toArray();
            return new Linear(weights, Double.parseDouble(lines.getFirst()));
        }
        Iterator<String> remaining = lines.iterator();
        ScoringHead head = read(remaining);
        if (remaining.hasNext()) {
            throw new IllegalArgumentException("unexpected lines after the scoring head");
        }
        return head;
    }

    private static ScoringHead read(Iterator<String> lines) {
        String[] shape = lines.next().split("\\s+");
        return switch (shape[0]) {
            case "linear" -> {
                double[] numbers = numbers(lines.next());
                yield new Linear(Arrays.copyOfRange(numbers, 1, numbers.length), numbers[0]);
            }
            case "two-layer" -> {
                int hiddenUnits = Integer.parseInt(shape[1]);
                double[][] hidden = new double[hiddenUnits][];
                double[] hiddenBias = new double[hiddenUnits];
                for (int h = 0; h < hiddenUnits; h++) {
                    double[] numbers = numbers(lines.next());
                    hiddenBias[h] = numbers[0];
                    hidden[h] = Arrays.copyOfRange(numbers, 1, numbers.length);
                }
                double[] output = numbers(lines.next());
                yield new TwoLayer(hidden, hiddenBias, Arrays.copyOfRange(output, 1, output.length), output[0]);
            }
            case "mean" -> {
                List<ScoringHead> heads = new ArrayList<>();
                for (int k = Integer.parseInt(shape[1]); k > 0; k--) {
                    heads.add(read(lines));
                }
                yield new Mean(heads);
            }
            default -> throw new IllegalArgumentException("unknown scoring head " + shape[0]);
        };
    }

    private static double[] numbers(String line) {
        return Arrays.stream(line.trim().split("\\s+")).mapToDouble(Double::parseDouble).toArray();
    }

    private static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-z));
    }
}
