package dev.genaiplatform.guardrails.injection;

import org.junit.jupiter.api.Test;

import java.io.StringWriter;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The weights file: what the trainer writes is what the service reads, in every shape, old files included. */
class ScoringHeadTests {

    private static final float[] X = {0.5f, -1f, 2f};

    @Test
    void aLinearHeadIsTheSigmoidOfTheDotProduct() {
        var head = new ScoringHead.Linear(new double[] {1, 2, 0.5}, -0.5);

        assertThat(head.probability(X)).isCloseTo(1 / (1 + Math.exp(-(-0.5 + 0.5 - 2 + 1))), within(1e-12));
    }

    @Test
    void theMeanHeadAveragesItsParts() {
        var linear = new ScoringHead.Linear(new double[] {1, 0, 0}, 0);
        var network = new ScoringHead.TwoLayer(new double[][] {{1, 1, 1}, {0, 0, -1}}, new double[] {0, 0.1},
                new double[] {2, -1}, 0.3);

        assertThat(new ScoringHead.Mean(List.of(linear, network)).probability(X))
                .isCloseTo((linear.probability(X) + network.probability(X)) / 2, within(1e-12));
    }

    @Test
    void whatTheTrainerWritesReadsBackToTheSameScores() throws Exception {
        var shipped = new ScoringHead.Mean(List.of(new ScoringHead.Linear(new double[] {1.25, -3.5e-3, 0.75}, -0.125),
                new ScoringHead.TwoLayer(new double[][] {{0.1, 0.2, 0.3}, {-0.4, 0.5, -0.6}}, new double[] {0.01, -0.02},
                        new double[] {1.5, -2.5}, 0.05)));
        StringWriter text = new StringWriter();
        InjectionTrainer.write(shipped, text);

        ScoringHead read = ScoringHead.parse("# a comment\n" + text);

        assertThat(read.probability(X)).isCloseTo(shipped.probability(X), within(1e-6));
    }

    @Test
    void theFirstWavesFileFormatStillReads() {
        ScoringHead read = ScoringHead.parse("# bias, then weights\n-0.5\n1\n2\n0.5\n");

        assertThat(read.probability(X)).isCloseTo(new ScoringHead.Linear(new double[] {1, 2, 0.5}, -0.5).probability(X),
                within(1e-12));
    }

    @Test
    void anUnknownShapeIsRefused() {
        assertThatThrownBy(() -> ScoringHead.parse("forest 3\n1 2 3\n")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theShippedFileReads() {
        System.setProperty("DJL_OFFLINE", "true");
        try (var in = ScoringHead.class.getResourceAsStream(InjectionClassifier.WEIGHTS_RESOURCE)) {
            ScoringHead head = ScoringHead.parse(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
            assertThat(head.probability(new float[384])).isBetween(0.0, 1.0);
        }
        catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
