package dev.genaiplatform.load;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class MachineCpuTests {

    @Test
    void theMachinesBusyTicksAreUserNiceSystemIrqAndSoftirq() {
        String stat = """
                cpu  2312195 19535 438578 1559606 2872 0 26840 976 0 0
                cpu0 1156097 9767 219289 779803 1436 0 13420 488 0 0
                """;

        // idle (1559606), iowait (2872) and steal (976) are not work the machine did
        assertThat(MachineCpu.busyTicks(stat)).isEqualTo(2312195 + 19535 + 438578 + 0 + 26840);
    }

    @Test
    void aProcessesTicksAreUtimeAndStimeWhateverItsNameHolds() {
        // fields 14 and 15; the name in parentheses holds spaces and a parenthesis of its own
        String stat = "4242 (C2 Compiler) x) S 1 4242 4242 0 -1 4194560 1000 0 0 0 731 96 0 0 20 0 40 0 100 0 0";

        assertThat(MachineCpu.processTicks(stat)).isEqualTo(731 + 96);
    }

    @Test
    void linesThatAreNotProcsAreRefused() {
        assertThatThrownBy(() -> MachineCpu.busyTicks("intr 1 2 3")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("/proc/stat");
        assertThatThrownBy(() -> MachineCpu.processTicks("4242 java S 1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MachineCpu.processTicks("4242 (java) S 1 2")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("too short");
    }

    @Test
    void busyCoresAreTicksPerSecondOfWallTime() {
        MachineCpu.Sample from = new MachineCpu.Sample(0, 1000, 50, 400);
        MachineCpu.Sample to = new MachineCpu.Sample(20_000_000_000L, 4000, 90, 3000); // 20 s later

        MachineCpu.Use use = MachineCpu.Use.between(from, to);

        // 3,000 ticks of 10 ms over 20 s: 1.5 cores
        assertThat(use.seconds()).isCloseTo(20, within(1e-9));
        assertThat(use.machineCores()).isCloseTo(1.5, within(1e-9));
        assertThat(use.generatorCores()).isCloseTo(0.02, within(1e-9));
        assertThat(use.platformCores()).isCloseTo(1.3, within(1e-9));
        assertThat(MachineCpu.Use.msPerRequest(1.5, 100)).isCloseTo(15, within(1e-9));
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void readsThisMachineAndThisProcess() {
        MachineCpu.Sample sample = MachineCpu.sample(Optional.of(ProcessHandle.current()), Optional.empty());

        assertThat(sample.machineTicks()).isPositive();
        assertThat(sample.generatorTicks()).isPositive(); // this JVM has run for a while
        assertThat(sample.platformTicks()).isZero();
    }
}
