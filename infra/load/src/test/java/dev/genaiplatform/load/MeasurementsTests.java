package dev.genaiplatform.load;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MeasurementsTests {

    @Test
    void gatlingsStartLineOpensTheWindow() {
        assertThat(Measurements.isSimulationStart("Simulation dev.genaiplatform.load.PlatformSimulation started...")).isTrue();
        assertThat(Measurements.isSimulationStart("Load run: LoadParameters[target=http://localhost:8080, ...]")).isFalse();
        assertThat(Measurements.isSimulationStart("Simulation dev.genaiplatform.load.PlatformSimulation completed in 46 seconds"))
                .isFalse();
    }

    @Test
    void theSteadyWindowLeavesOutTheFirstSecondsAndTheLast() {
        assertThat(Measurements.steadyWindowSeconds(45)).containsExactly(5, 44);
        assertThat(Measurements.steadyWindowSeconds(10)).containsExactly(2, 9);
    }

    @Test
    void aRunThatNeverStartsHasNoWindowAndSaysSo() {
        assertThatThrownBy(() -> Measurements.loadRun(List.of("true"), 10, Optional.empty()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("could not be read");
    }

    @Test
    void aCommandThatFailsIsNamed() {
        assertThatThrownBy(() -> Measurements.runEchoing(List.of("false"), Map.of(), (process, line) -> { }))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("false failed (exit 1");
    }
}
