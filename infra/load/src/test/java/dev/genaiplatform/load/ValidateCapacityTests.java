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
    void defaultsMeasureTheLocalPlatformAsTheHandMadeValidationDid() {
        Options options = parse();

        assertThat(options.target()).isEqualTo(URI.create("http://localhost:8080"));
        assertThat(options.simulator()).isEqualTo(URI.create("http://localhost:8090"));
        assertThat(options.rates()).isEmpty();
        assertThat(List.of(options.warmSeconds(), options.measureSeconds(), options.clients(), options.sequential()))
                .containsExactly(20, 40, 8, 50);
        assertThat(options.durationSeconds()).isEqualTo(45);
        assertThat(options.machineCores()).isEqualTo(2);
        assertThat(options.output()).isEqualTo(runs.resolve("2026-12-07-capacity-validation.txt"));
    }

    @Test
    void theInputsAreMeasuredOnTheSweepsRequestShape() {
        Options options = parse();

        // an uncapped answer is the simulator's whole grounded one, about 170 tokens: dearer than the sweep's requests
        assertThat(ValidateCapacity.inputsEnvironment(options)).containsEntry("MAX_TOKENS", "64");
        assertThat(ValidateCapacity.sweepCommand(options, ValidateCapacity.DEMO_KEY, "10")).contains("-DmaxTokens=64");
    }

    @Test
    void theSimulatorIsLookedForOnTheTargetsHost() {
        Options options = parse("--target", "http://127.0.0.1:23080/", "--rates", "5,10", "--duration", "15");

        assertThat(options.target()).isEqualTo(URI.create("http://127.0.0.1:23080"));
        assertThat(options.simulator()).isEqualTo(URI.create("http://127.0.0.1:8090"));
        assertThat(options.rates()).containsExactly(5.0, 10.0);
        assertThat(options.durationSeconds()).isEqualTo(15);
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
            "--clients 65;                   --clients must be from 1 to 64",
            "--measure nine;                 --measure must be a whole number",
            "--knee-factor 1;                --knee-factor must be above 1",
            "--platform-pid 2147483646;      no such process",
            "--rate 10;                      unknown option(s) [rate]",
            "--rates;                        expected '--name value'",
            "--duration 20 --duration 30;    given twice"})
    void badOptionsAreRefusedWithTheReason(String args, String message) {
        assertThatThrownBy(() -> parse(args.split(" ")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message.strip());
    }

    @Test
    void thePredictionsComeFromTheCalculatorCommandTheSummaryPrints() {
        MeasuredInputs inputs = MeasuredInputs.parse(MeasuredInputsTests.OUTPUT);
        List<String> args = ValidateCapacity.calculatorArgs(inputs, 2);

        assertThat(String.join(" ", args)).isEqualTo("--rps N --prompt-tokens 800 --answer-tokens 64 --machine-cores 2 "
                + "--cpu-ms evaluation=2.4,gateway=4.3,guardrails=6.1,kafka=5.9,llm-simulator=5.9,orchestrator=13.4,retrieval=3.4 "
                + "--at-rest-latency-ms 38.0");
        var plan = CapacityCalculator.plan(ValidateCapacity.predictionAt(args, 38));
        // docs/capacity.md's hand-made prediction with the same inputs: 48 requests/s, 105 ms at 38 requests/s
        assertThat(plan.oneMachineSaturation()).isCloseTo(48.3, within(0.05));
        assertThat(plan.oneMachineLatencyMs()).isCloseTo(105, within(0.5));
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
