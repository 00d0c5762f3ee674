package dev.genaiplatform.load;

import dev.genaiplatform.load.MeasuredInputs.Calibration;
import dev.genaiplatform.load.MeasuredInputs.Probe;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class MeasuredInputsTests {

    static Calibration calibration(double rate, double meanMs, double machineCores) {
        GatlingSummary summary = new GatlingSummary(Math.round(rate * 30), 0, meanMs, meanMs - 1, meanMs * 3,
                "table at " + rate);
        return new Calibration(rate, 30, summary, new MachineCpu.Use(24, machineCores, rate * 0.001, machineCores * 0.8));
    }

    /**
     * Made-up but plausible inputs: 0.10 cores idle; the probe's 7.0 ms in flight over 14 ms, 0.4 of it its own, 5.2 the platform's; the
     * machine 0.40 cores busy at 20 requests/s and 0.904 at 56.
     */
    static MeasuredInputs example() {
        return new MeasuredInputs(0.10, new Probe(300, 14.0, 7.0, 14.0, 0.4, 5.2), calibration(20, 15.0, 0.40),
                calibration(56, 14.5, 0.904));
    }

    @Test
    void theCpuPerRequestIsTheSlopeOfTheMachinesBusyCoresAndTheBackgroundItsIntercept() {
        MeasuredInputs inputs = example();

        assertThat(inputs.cpuMsPerRequest()).isCloseTo(0.504 / 36 * 1000, within(1e-9)); // 14.0 ms
        assertThat(inputs.backgroundCores()).isCloseTo(0.40 - 0.014 * 20, within(1e-9)); // 0.12 cores
    }

    @Test
    void aNegativeInterceptIsReadAsNoBackgroundAndTheSecondRunsAverage() {
        // the second run costlier per request than the first: the line would cross zero above no load
        MeasuredInputs inputs = new MeasuredInputs(0.1, new Probe(300, 14, 7, 14, 0.4, Double.NaN), calibration(20, 15, 0.20),
                calibration(50, 15, 0.80));

        assertThat(inputs.backgroundCores()).isZero();
        assertThat(inputs.cpuMsPerRequest()).isCloseTo(0.80 / 50 * 1000, within(1e-9));
    }

    @Test
    void theCpuOnARequestsPathIsWhatTheMachineSpentInFlightLessBackgroundAndTheProbesOwn() {
        Probe probe = new Probe(300, 14.0, 7.0, 14.0, 0.4, Double.NaN);

        assertThat(probe.criticalCpuMs(0.10)).isCloseTo(7.0 - 0.10 * 14.0 - 0.4, within(1e-9));
        assertThat(new Probe(300, 14, 1.0, 14, 0.4, Double.NaN).criticalCpuMs(0.5)).isZero(); // never negative
    }

    @Test
    void withThePlatformsProcessesKnownThePathIsTheirCpuInFlight() {
        // a stand-in server burning 4 ms of CPU a request measured 4.5 ms this way at a load average of 22 (README)
        Probe probe = new Probe(300, 24.2, 48.6, 24.2, 3.1, 4.5);

        assertThat(probe.criticalCpuMs(1.8)).isEqualTo(4.5);
        assertThat(probe.machineCriticalCpuMs(1.8)).isCloseTo(48.6 - 1.8 * 24.2 - 3.1, within(1e-9));
    }

    @Test
    void atRestIsTheLowRunsMeanLessTheModelsQueueingThere() {
        MeasuredInputs inputs = example();

        // 2 cores 20 % busy: Erlang C 1/15, stretch 1/15 / (2 × 0.8) = 1/24 per ms of path CPU (5.2 ms)
        assertThat(inputs.queueingAtLowMs(2)).isCloseTo(5.2 / 24, within(1e-9));
        assertThat(inputs.atRestMs(2)).isCloseTo(15.0 - 5.2 / 24, within(1e-9));
    }

    @Test
    void aMachineThatOtherWorkKeepsBusyCannotBeMeasured() {
        MeasuredInputs saturated = new MeasuredInputs(2.0, new Probe(300, 14, 7, 14, 0.4, Double.NaN), calibration(10, 22, 2.0),
                calibration(20, 36, 2.0));
        MeasuredInputs flat = new MeasuredInputs(0.5, new Probe(300, 14, 7, 14, 0.4, Double.NaN), calibration(10, 22, 1.2),
                calibration(20, 36, 1.1));

        assertThatThrownBy(() -> saturated.requireMeasurable(2)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("100 % busy at the first calibration rate, 10 requests/s: lower --calibration-rate");
        assertThatThrownBy(() -> flat.requireMeasurable(2)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("did not rise from 10 to 20 requests/s (1.20 and 1.10)");
        // busy cores that barely rise: 0.5 ms per request would put saturation at 3,000/s, far beyond 40/s measured
        MeasuredInputs noise = new MeasuredInputs(0.5, new Probe(300, 14, 7, 14, 0.4, Double.NaN), calibration(20, 22, 0.50),
                calibration(40, 22, 0.51));
        assertThatThrownBy(() -> noise.requireMeasurable(2)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("more than 5 times the highest rate measured (40.0)");
        example().requireMeasurable(2);
    }

    @Test
    void theLineRunsThroughTheRequestsThatArrivedNotTheRateAskedFor() {
        // Poisson arrivals: 20/s asked, 570 came in 30 s (19/s); 56/s asked, 1,710 came (57/s)
        Calibration low = new Calibration(20, 30, new GatlingSummary(570, 0, 15, 14, 40, ""), new MachineCpu.Use(24, 0.40, 0, 0));
        Calibration high = new Calibration(56, 30, new GatlingSummary(1710, 0, 15, 14, 40, ""), new MachineCpu.Use(24, 0.904, 0, 0));

        MeasuredInputs inputs = new MeasuredInputs(0.1, new Probe(300, 14, 7, 14, 0.4, 5.2), low, high);

        assertThat(low.arrivals()).isEqualTo(19);
        assertThat(inputs.cpuMsPerRequest()).isCloseTo(0.504 / 38 * 1000, within(1e-9));
    }

    @Test
    void theSecondCalibrationRateMustBeTheHigher() {
        assertThatThrownBy(() -> new MeasuredInputs(0.1, new Probe(300, 14, 7, 14, 0.4, Double.NaN), calibration(40, 15, 0.5),
                calibration(20, 15, 0.3))).isInstanceOf(IllegalArgumentException.class);
    }
}
