package dev.genaiplatform.load;

import dev.genaiplatform.load.CapacityValidation.Judgement;
import dev.genaiplatform.load.CapacityValidation.Report;
import dev.genaiplatform.load.CapacityValidation.Standing;
import dev.genaiplatform.load.CapacityValidation.Step;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class CapacityValidationTests {

    private static GatlingSummary run(long requests, long failed, double meanMs) {
        return new GatlingSummary(requests, failed, meanMs, meanMs * 0.9, meanMs * 4, "table of " + requests);
    }

    private static Step step(double rate, long failed, double measuredMeanMs, double predictedMeanMs) {
        return new Step(rate, run(Math.round(rate * 45), failed, measuredMeanMs), predictedMeanMs,
                new MachineCpu.Use(39, rate * 0.04, rate * 0.0012, rate * 0.035), rate * 0.0414);
    }

    /** The 2026-12-06 sweep of docs/capacity.md: its measured means and the calculator's predictions (41.4 ms, 38 at rest). */
    private static List<Step> sweepOf20261206() {
        return List.of(step(8, 0, 46, 39.2), step(16, 0, 38, 43), step(24, 0, 57, 52), step(30, 0, 57, 64),
                step(38, 0, 85, 105), step(46, 47, 428, 440));
    }

    @Test
    void theDefaultSweepRunsFromAFifthToSixFifthsOfThePrediction() {
        assertThat(CapacityValidation.ratesAround(48.3)).containsExactly(10.0, 19.0, 29.0, 39.0, 43.0, 48.0, 53.0, 58.0);
    }

    @Test
    void aSlowMachinesSweepKeepsTenthsSoItsRatesStayDistinct() {
        assertThat(CapacityValidation.ratesAround(3)).containsExactly(0.6, 1.2, 1.8, 2.4, 2.7, 3.0, 3.3, 3.6);
        assertThat(CapacityValidation.ratesAround(0.2)).containsExactly(0.1, 0.2).doesNotHaveDuplicates();
    }

    @Test
    void aPredictionBeyondTheKitsBoundIsRefusedNotSweptHalfway() {
        assertThatThrownBy(() -> CapacityValidation.ratesAround(2600))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("beyond the load kit's 3000");
        assertThatThrownBy(() -> CapacityValidation.ratesAround(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void ratesGivenByHandAreRead() {
        assertThat(CapacityValidation.parseRates("8, 16,24.5")).containsExactly(8.0, 16.0, 24.5);
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
            "8,abc;                 separated by commas, not 'abc'",
            "8,,16;                 separated by commas, not ''",
            "0,8;                   above 0 and at most 3000 requests/s, the load kit's bound (got 0)",
            "8,3001;                (got 3001)",
            "16,8;                  --rates must rise",
            "8,8;                   --rates must rise",
            "1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21; at most 20 rates"})
    void impossibleRatesAreRefusedWithTheReason(String rates, String message) {
        assertThatThrownBy(() -> CapacityValidation.parseRates(rates))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message.strip());
    }

    @Test
    void theKneeIsMoreThanOnePercentFailedOrAMeanBeyondTheBound() {
        assertThat(CapacityValidation.isKnee(run(1000, 10, 50), 380)).isFalse(); // 1 %: the kit's pass mark, still carried
        assertThat(CapacityValidation.isKnee(run(1000, 11, 50), 380)).isTrue();
        assertThat(CapacityValidation.isKnee(run(1000, 0, 380), 380)).isFalse();
        assertThat(CapacityValidation.isKnee(run(1000, 0, 381), 380)).isTrue();
    }

    @Test
    void theHandMadeSweepOf20261206IsNotValidatedBecauseOf38RequestsPerSecond() {
        Judgement judgement = CapacityValidation.judge(sweepOf20261206(), 48.3, 380);

        assertThat(judgement.standings()).containsExactly(Standing.WITHIN, Standing.WITHIN, Standing.WITHIN,
                Standing.WITHIN, Standing.OUTSIDE, Standing.PAST_KNEE);
        assertThat(judgement.kneeIndex()).isEqualTo(5);
        assertThat(judgement.measuredSaturation()).isEqualTo(42);
        assertThat(judgement.saturationDifference()).isCloseTo(0.15, within(0.001)); // (48.3 − 42) / 42
        assertThat(judgement.validated()).isFalse();
        assertThat(judgement.verdict()).startsWith("NOT VALIDATED within ±15 %: mean latency within ±15 % at 4 of 5 rates")
                .contains("between 38 (carried) and 46 (midpoint 42): +15 %");
    }

    @Test
    void everyRateAndTheKneeWithinToleranceIsValidated() {
        List<Step> steps = new ArrayList<>(sweepOf20261206());
        steps.set(4, step(38, 0, 95, 105));

        Judgement judgement = CapacityValidation.judge(steps, 44, 380);

        assertThat(judgement.validated()).isTrue();
        // 38 requests/s is above 80 % of 44: shown, not judged
        assertThat(judgement.standings().get(4)).isEqualTo(Standing.NEAR_SATURATION_WITHIN);
        assertThat(judgement.verdict()).startsWith("VALIDATED within ±15 %: mean latency within ±15 % at 4 of 4 rates up "
                + "to 80 % of the predicted saturation (5 of 5 at every rate below the knee, as wave 13 judged)")
                .contains("+5 %");
    }

    @Test
    void aSaturationPredictedTooHighFailsEvenWhenEveryMeanHolds() {
        List<Step> steps = new ArrayList<>(sweepOf20261206());
        steps.set(4, step(38, 0, 95, 105));

        Judgement judgement = CapacityValidation.judge(steps, 60, 380);

        assertThat(judgement.saturationDifference()).isCloseTo(18.0 / 42, within(1e-9));
        assertThat(judgement.validated()).isFalse();
    }

    @Test
    void aMeanFarAboveAtRestIsAKneeWithoutAnyFailure() {
        List<Step> steps = List.of(step(10, 0, 40, 40), step(20, 0, 45, 44), step(30, 0, 900, 80));

        Judgement judgement = CapacityValidation.judge(steps, 28, 380);

        assertThat(judgement.kneeIndex()).isEqualTo(2);
        assertThat(judgement.measuredSaturation()).isEqualTo(25);
        assertThat(judgement.validated()).isTrue();
    }

    @Test
    void aSweepThatNeverReachesTheKneeCannotValidateTheSaturationPoint() {
        Judgement judgement = CapacityValidation.judge(List.of(step(10, 0, 40, 40), step(20, 0, 45, 44)), 48, 380);

        assertThat(judgement.kneeIndex()).isEqualTo(-1);
        assertThat(judgement.measuredSaturation()).isNaN();
        assertThat(judgement.validated()).isFalse();
        assertThat(judgement.verdict()).contains("at 2 of 2 rates").contains("no knee up to 20 requests/s")
                .contains("add higher rates");
    }

    @Test
    void aKneeAtTheFirstRateBracketsNothing() {
        Judgement judgement = CapacityValidation.judge(List.of(step(60, 200, 900, Double.NaN)), 48, 380);

        assertThat(judgement.validated()).isFalse();
        assertThat(judgement.verdict()).contains("no rate up to 80 % of the predicted saturation").contains("start lower");
    }

    @Test
    void ratesNearTheSaturationAreShownButOnlyTheKneeJudgesThem() {
        List<Step> steps = List.of(step(20, 0, 40, 41), step(30, 0, 50, 80), step(40, 0, 60, 66), step(50, 0, 90, Double.NaN),
                step(60, 100, 900, Double.NaN));

        Judgement judgement = CapacityValidation.judge(steps, 48, 380);

        // 80 % of 48 is 38.4: 40 and 50 requests/s are near saturation; 30 is judged and misses
        assertThat(judgement.standings()).containsExactly(Standing.WITHIN, Standing.OUTSIDE,
                Standing.NEAR_SATURATION_WITHIN, Standing.PREDICTED_SATURATED, Standing.PAST_KNEE);
        assertThat(judgement.validated()).isFalse();
        assertThat(judgement.verdict()).contains("at 1 of 2 rates up to 80 %").contains("(2 of 4 at every rate below the knee")
                .contains("between 50 (carried) and 60 (midpoint 55): -13 %");
    }

    @Test
    void theSweepsOwnEightyPercentRateIsJudgedEvenWhenRoundedUp() {
        // 80 % of 133.7 is 106.96, which the sweep runs as 107
        assertThat(CapacityValidation.ratesAround(133.7)).contains(107.0);
        Judgement judgement = CapacityValidation.judge(List.of(step(107, 0, 23, 24), step(108, 0, 25, 26)), 133.7, 380);

        assertThat(judgement.standings()).containsExactly(Standing.WITHIN, Standing.NEAR_SATURATION_WITHIN);
    }

    @Test
    void aSaturationPredictedTooLowFailsOnTheKneeEvenWhenTheJudgedMeansHold() {
        List<Step> steps = List.of(step(20, 0, 40, 41), step(30, 0, 50, 52), step(40, 0, 60, Double.NaN),
                step(50, 0, 70, Double.NaN), step(60, 100, 900, Double.NaN));

        Judgement judgement = CapacityValidation.judge(steps, 38, 380);

        assertThat(judgement.standings().subList(2, 4)).containsOnly(Standing.PREDICTED_SATURATED);
        assertThat(judgement.validated()).isFalse();
        assertThat(judgement.verdict()).contains("at 2 of 2 rates").contains("midpoint 55): -31 %");
    }

    @Test
    void theSummaryHoldsInputsEveryRateTheVerdictAndGatlingsTables() {
        List<Step> steps = sweepOf20261206();
        Judgement judgement = CapacityValidation.judge(steps, 48.3, 380);
        Report report = new Report(List.of("Capacity validation 2026-12-07 16:00 to 16:10 UTC", "a smoke run"),
                MeasuredInputsTests.example(), "infra/load/run.sh -Drate=N -Dduration=30", 2, 48.3,
                "java CapacityCalculator.java --rps N", "infra/load/run.sh -Drate=N", steps, List.of(53.0, 58.0), 380,
                judgement);

        String summary = CapacityValidation.render(report);

        assertThat(summary).startsWith("# Capacity validation 2026-12-07 16:00 to 16:10 UTC\n# a smoke run\n")
                .contains("Idle: the machine busy 0.10 cores")
                .contains("mean 14.0 ms; the machine's CPU while one was in flight 7.0 ms, less the idle background (1.4) "
                        + "and the probe's own (0.4): 5.2 ms\n")
                .contains("the platform's processes while one was in flight: 5.2 ms")
                .contains("CPU on a request's path: 5.2 ms\n")
                .contains("Calibration: infra/load/run.sh -Drate=N -Dduration=30")
                .contains("  20 requests/s (20.0 arrived): 600 requests, 0 failed, mean 15.0 ms; over 24 s of its steady "
                        + "part the machine busy 0.40 cores (20.0 ms per request)")
                .contains("busy cores = 0.12 + rate x 14.00 ms of CPU per request")
                .contains("At rest: 14.8 ms, the 20 requests/s run's mean (15.0 ms) less the model's queueing there (0.2 ms)")
                .contains("Predicted saturation on 2 cores: 48.3 requests/s")
                .contains("Theory, not measured: ")
                .contains("| 38 | 1,710 | 0 (0.0 %) | 85 ms | 77 ms | 340 ms | 105 ms | +24 % | NO | 1.52 / 1.57 | 1.2 ms per request |")
                .contains("| 46 | 2,070 | 47 (2.3 %) | 428 ms | 385 ms | 1,712 ms | 440 ms | +3 % |")
                .contains("a mean above 380 ms")
                .contains("not compared: the knee")
                .contains("Not run (past the knee): 53, 58 requests/s")
                .contains("\nVERDICT: NOT VALIDATED")
                .contains("### calibration, rate 56 requests/s\ntable at 56.0")
                .contains("### rate 46 requests/s\ntable of 2070");
    }
}
