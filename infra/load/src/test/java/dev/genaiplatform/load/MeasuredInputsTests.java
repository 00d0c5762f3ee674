package dev.genaiplatform.load;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class MeasuredInputsTests {

    /** What cpu-per-request.sh 20 40 8 50 printed on 2026-12-06 (docs/capacity.md), with the sequential mean added since. */
    static final String OUTPUT = """
            warming for 20 s with 8 clients...
            measuring for 40 s...
            load average 2.46 1.90 1.75; streamed false; 1372 answers 200 (0 others), 34.3 requests/s
              evaluation         2.4 ms CPU per request
              gateway            4.3 ms CPU per request
              guardrails         6.1 ms CPU per request
              launcher           5.9 ms CPU per request
              llm-simulator      5.9 ms CPU per request
              orchestrator      13.4 ms CPU per request
              retrieval          3.4 ms CPU per request
              tools-agent        1.3 ms CPU per request
              all               42.7 ms CPU per request
            sequential, 50 each: through the gateway p50 35.9 / p99 80.1 ms (mean 38.0); the simulator directly p50 3.1 / p99 7.0 ms
            """;

    @Test
    void readsEveryProcessTheRateAndTheAtRestLatency() {
        MeasuredInputs inputs = MeasuredInputs.parse(OUTPUT);

        assertThat(inputs.cpuMsPerProcess()).hasSize(8).containsEntry("orchestrator", 13.4).containsEntry("tools-agent", 1.3)
                .doesNotContainKey("all");
        assertThat(inputs.requestsPerSecond()).isEqualTo(34.3);
        assertThat(inputs.atRestMeanMs()).isEqualTo(38.0);
        assertThat(inputs.atRestP50Ms()).isEqualTo(35.9);
        assertThat(inputs.atRestP99Ms()).isEqualTo(80.1);
        assertThat(inputs.loadAverage()).isEqualTo("2.46 1.90 1.75");
    }

    @Test
    void theLaunchersCpuIsTheBrokersAndToolsAgentHasNoTerm() {
        MeasuredInputs inputs = MeasuredInputs.parse(OUTPUT);

        assertThat(inputs.calculatorCpuMs()).containsEntry("kafka", 5.9).doesNotContainKeys("launcher", "tools-agent")
                .hasSize(7);
        // the 2026-12-06 sweep's 41.4 ms: 42.7 in all less tools-agent's 1.3
        assertThat(inputs.modelledCpuMs()).isCloseTo(41.4, within(1e-9));
        assertThat(CapacityCalculator.MEASURED_CPU_MS.keySet()).containsAll(inputs.calculatorCpuMs().keySet());
    }

    @Test
    void aProcessMissingFromTheMeasurementIsNamed() {
        String withoutRetrieval = OUTPUT.replaceAll("(?m)^ +retrieval .*\\n", "");

        assertThatThrownBy(() -> MeasuredInputs.parse(withoutRetrieval))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no CPU for retrieval");
    }

    @Test
    void anOutputWithoutTheSequentialMeanIsRefused() {
        String beforeTheMean = OUTPUT.replace(" (mean 38.0)", "");

        assertThatThrownBy(() -> MeasuredInputs.parse(beforeTheMean))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sequential line with a mean");
    }

    @Test
    void theMeasurementCannotBeChangedAfterwards() {
        MeasuredInputs inputs = MeasuredInputs.parse(OUTPUT);

        assertThatThrownBy(() -> inputs.cpuMsPerProcess().put("gateway", 0.0))
                .isInstanceOf(UnsupportedOperationException.class);
    }
}
