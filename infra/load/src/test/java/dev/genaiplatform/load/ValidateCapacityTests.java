package dev.genaiplatform.load;

import dev.genaiplatform.load.ValidateCapacity.Options;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class ValidateCapacityTests {

    private static final LocalDate DAY = LocalDate.of(2026, 12, 7);

    @TempDir
    Path runs;

    private Options parse(String... args) {
        return Options.parse(args, 2, runs, DAY);
    }

    @Test
    void defaultsMeasureTheLocalPlatformWithinFifteenMinutes() {
        Options options = parse();

        assertThat(options.target()).isEqualTo(URI.create("http://localhost:8080"));
        assertThat(options.rates()).isEmpty();
        assertThat(List.of(options.idleSeconds(), options.probeRequests(), options.probePauseMs(),
                options.calibrationSeconds(), options.durationSeconds())).containsExactly(10, 300, 100, 30, 45);
        assertThat(options.calibrationRate()).isEqualTo(20);
        assertThat(options.machineCores()).isEqualTo(2);
        assertThat(options.dryRun()).isFalse();
        assertThat(options.output()).isEqualTo(runs.resolve("2026-12-07-capacity-validation.txt"));
        // idle 10 s, probe 350 × 125 ms = 43 s, calibration 2 × 50 s, sweep 8 × 65 s: 673 s
        assertThat(ValidateCapacity.plan(options)).contains("At most about 11 min 13 s in all");
    }

    @Test
    void aDryRunSaysWhatWillBeRunAndHowLongWithoutSendingAnything() {
        Options options = parse("--dry-run", "--rates", "20,40", "--duration", "30", "--api-key", "sk-secret");

        assertThat(options.dryRun()).isTrue();
        assertThat(ValidateCapacity.plan(options)).startsWith("Dry run: nothing is sent to http://localhost:8080.")
                .contains("-Drate=20 -Dduration=30").contains("[20, 40] requests/s, 30 s each")
                .contains("at 60 % of the saturation it suggests").doesNotContain("sk-secret");
    }

    @Test
    void everyLoadRunIsTheSweepsShapeWithPoissonArrivals() {
        Options options = parse();

        assertThat(ValidateCapacity.loadCommand(options, ValidateCapacity.DEMO_KEY, "10", 30)).contains("-DmaxTokens=64",
                "-Dcache=bypass", "-Darrivals=poisson", "-Drate=10", "-Dduration=30");
        assertThat(ValidateCapacity.PROBE_BODY).contains("\"max_tokens\":64");
    }

    @Test
    void theSecondCalibrationRateIsSixtyPercentOfWhatTheFirstSuggestsBetweenTwiceAndTenTimesIt() {
        // 0.40 cores at 20 requests/s, 0.10 of them idle background: 15 ms per request, 1.9 cores left → 126.7/s
        assertThat(ValidateCapacity.secondCalibrationRate(MeasuredInputsTests.calibration(20, 15, 0.40), 0.10, 2))
                .isEqualTo(76);
        // a slow machine: twice the first rate, never less
        assertThat(ValidateCapacity.secondCalibrationRate(MeasuredInputsTests.calibration(5, 15, 0.9), 0.1, 2)).isEqualTo(10);
        // a first run whose CPU is lost in the background: ten times the first rate, not a flood
        assertThat(ValidateCapacity.secondCalibrationRate(MeasuredInputsTests.calibration(20, 15, 0.05), 0.1, 2)).isEqualTo(200);
    }

    @Test
    void aMachineHalfBusyWithNothingAskedIsNotMeasured() {
        ValidateCapacity.requireQuietMachine(0.2, 2);
        assertThatThrownBy(() -> ValidateCapacity.requireQuietMachine(1.0, 2)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("1.00 of its 2 cores busy with nothing asked");
    }

    @Test
    void aSecondRunOfTheDayGetsAFileOfItsOwn() throws IOException {
        Files.writeString(runs.resolve("2026-12-07-capacity-validation.txt"), "the first");
        Files.writeString(runs.resolve("2026-12-07-capacity-validation-2.txt"), "the second");

        assertThat(parse().output()).isEqualTo(runs.resolve("2026-12-07-capacity-validation-3.txt"));
    }

    @Test
    void anOutputThatExistsIsRefusedNotOverwritten() throws IOException {
        Path taken = Files.writeString(runs.resolve("mine.txt"), "kept");

        assertThatThrownBy(() -> parse("--output", taken.toString()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exists");
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
            "--target ftp://gateway;         --target must be an http(s) URL",
            "--rates 10,x;                   not 'x'",
            "--rates 10,4000;                the load kit's bound",
            "--duration 5;                   --duration must be from 10 to 3600",
            "--probe 10;                     --probe must be from 50 to 10000",
            "--idle nine;                    --idle must be a whole number",
            "--calibration-rate 0;           --calibration-rate must be above 0",
            "--calibration-duration 5;       --calibration-duration must be from 10",
            "--knee-factor 1;                --knee-factor must be above 1",
            "--platform-pid 2147483646;      no such process",
            "--rate 10;                      unknown option(s) [rate]",
            "--simulator http://x:8090;      unknown option(s) [simulator]",
            "--rates;                        expected '--name value'",
            "--duration 20 --duration 30;    given twice"})
    void badOptionsAreRefusedWithTheReason(String args, String message) {
        assertThatThrownBy(() -> parse(args.split(" ")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message.strip());
    }

    @Test
    void thePredictionsComeFromTheCalculatorCommandTheSummaryPrints() {
        List<String> args = ValidateCapacity.calculatorArgs(MeasuredInputsTests.example(), 2);

        assertThat(String.join(" ", args)).isEqualTo("--rps N --prompt-tokens 800 --answer-tokens 64 --machine-cores 2 "
                + "--machine-cpu-ms 14.00 --background-cores 0.120 --critical-cpu-ms 5.20 --at-rest-latency-ms 14.78");
        var plan = CapacityCalculator.plan(ValidateCapacity.predictionAt(args, 100));
        assertThat(plan.oneMachineSaturation()).isCloseTo((2 - 0.12) / 0.014, within(1e-9));
        assertThat(plan.oneMachineLatencyMs()).isCloseTo(14.78 + 5.2 * CapacityCalculator.queueingStretch(2, 0.76),
                within(1e-9));
    }

    @Test
    void aTenantsKeyNeverReachesTheSummary() {
        assertThat(ValidateCapacity.shownArgs(new String[] {"--api-key", "sk-tenant-secret", "--note", "a smoke run"}))
                .isEqualTo(" --api-key '<your key>' --note 'a smoke run'");
        assertThat(ValidateCapacity.shownArgs(new String[] {"--api-key", "demo-local-key"}))
                .isEqualTo(" --api-key demo-local-key");
        assertThat(ValidateCapacity.shownArgs(new String[] {"--note", "helpers' builds"}))
                .isEqualTo(" --note 'helpers'\\'' builds'"); // as a shell reads it back
    }
}
