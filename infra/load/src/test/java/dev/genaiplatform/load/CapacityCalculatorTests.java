package dev.genaiplatform.load;

import dev.genaiplatform.load.CapacityCalculator.Plan;
import dev.genaiplatform.load.CapacityCalculator.ServerPoint;
import dev.genaiplatform.load.CapacityCalculator.Workload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class CapacityCalculatorTests {

    private static Workload workload(String... extra) {
        String[] base = {"--rps", "50", "--prompt-tokens", "800", "--answer-tokens", "200", "--cache-hit-rate", "0.2",
                "--slo-ttft-ms", "800"};
        String[] all = new String[base.length + extra.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(extra, 0, all, base.length, extra.length);
        return CapacityCalculator.parse(all);
    }

    @Test
    void providerQuotaCountsOnlyCacheMissesWithHeadroom() {
        Plan plan = CapacityCalculator.plan(workload());

        assertThat(plan.modelCallsPerSecond()).isCloseTo(40, within(1e-9));
        // 40 calls/s × 60 / 0.7 and × 1,000 tokens each
        assertThat(plan.providerRpm()).isEqualTo(3429);
        assertThat(plan.providerTpm()).isEqualTo(3_428_572);
    }

    @Test
    void aServerPointObeysLittlesLaw() {
        ServerPoint point = CapacityCalculator.at(16, workload());

        double holdSeconds = (point.ttftMs() + 200 * point.interTokenMs()) / 1000;
        assertThat(point.requestsPerSecond() * holdSeconds).isCloseTo(16, within(1e-6));
        assertThat(point.stepMs()).isCloseTo(12 + 0.15 * 15, within(1e-9));
        // prefill share = λ × 800 tokens / 40,000 tokens/s
        assertThat(point.prefillShare()).isCloseTo(point.requestsPerSecond() * 0.02, within(1e-6));
    }

    @Test
    void aTighterLatencyObjectiveOrASlowerModelNeedsMoreGpus() {
        int relaxed = CapacityCalculator.plan(workload()).gpus();
        int slower = CapacityCalculator.plan(workload("--model", "sim-large")).gpus();
        int tight = CapacityCalculator.plan(workload("--slo-ttft-ms", "60")).gpus();

        assertThat(slower).isGreaterThan(relaxed);
        assertThat(tight).isGreaterThanOrEqualTo(relaxed);
        assertThat(CapacityCalculator.plan(workload("--slo-ttft-ms", "60")).server().ttftMs()).isLessThanOrEqualTo(60);
    }

    @Test
    void theBatchNeverOutgrowsTheKvCache() {
        // sim-large: 32,768 cache tokens / 9,000 per request = 3 sequences at most
        ServerPoint point = CapacityCalculator.plan(CapacityCalculator.parse(new String[]{"--rps", "5",
                "--prompt-tokens", "8000", "--answer-tokens", "1000", "--model", "sim-large", "--slo-ttft-ms", "5000"})).server();

        assertThat(point.batch()).isLessThanOrEqualTo(3);
    }

    @Test
    void predictsTheOneMachineSaturationFromCpuPerRequest() {
        Plan plan = CapacityCalculator.plan(workload("--cache-hit-rate", "0"));

        // measured at load: 41.4 ms of CPU per request on 2 cores → about 48 requests/s
        assertThat(plan.platformCores() * 1000 / 50).isCloseTo(41.4, within(1e-9));
        assertThat(plan.oneMachineSaturation()).isCloseTo(2000.0 / 41.4, within(1e-9));
    }

    @Test
    void predictsLatencyAtLoadOnOneMachineFromQueueingForACore() {
        Plan light = CapacityCalculator.plan(workload("--cache-hit-rate", "0", "--rps", "1"));
        Plan busy = CapacityCalculator.plan(workload("--cache-hit-rate", "0", "--rps", "42"));
        Plan over = CapacityCalculator.plan(workload("--cache-hit-rate", "0", "--rps", "50"));

        assertThat(light.oneMachineLatencyMs()).isCloseTo(38, within(1.0));
        assertThat(busy.oneMachineUtilisation()).isCloseTo(42 * 0.0414 / 2, within(1e-9));
        assertThat(busy.oneMachineLatencyMs()).isGreaterThan(light.oneMachineLatencyMs() + 100);
        assertThat(over.oneMachineKeepsUp()).isFalse();
        assertThat(CapacityCalculator.render(workload("--cache-hit-rate", "0", "--rps", "50"), over)).contains("saturated");
    }

    @Test
    void theQueueingStretchIsTheTextbookErlangCWaitPerUnitOfService() {
        // M/M/1: Wq / s = ρ / (1 − ρ); at ρ = 0.5, 1
        assertThat(CapacityCalculator.queueingStretch(1, 0.5)).isCloseTo(1, within(1e-9));
        // M/M/2 at ρ = 0.5 (a = 1): C = 1/3, Wq / s = C / (c (1 − ρ)) = 1/3
        assertThat(CapacityCalculator.queueingStretch(2, 0.5)).isCloseTo(1.0 / 3, within(1e-9));
        // M/M/2 at ρ = 0.75: E[T] = s / (1 − ρ²) = 2.2857 s, so the stretch is 1.2857
        assertThat(CapacityCalculator.queueingStretch(2, 0.75)).isCloseTo(1 / (1 - 0.75 * 0.75) - 1, within(1e-9));
        // M/G/1-PS: a job of x takes x / (1 − ρ), so x (1 + stretch) = x / (1 − ρ): at ρ = 0.75, 3
        assertThat(1 + CapacityCalculator.queueingStretch(1, 0.75)).isCloseTo(1 / (1 - 0.75), within(1e-9));
        assertThat(CapacityCalculator.queueingStretch(2, 0)).isZero();
    }

    @Test
    void theMachineLineAndThePathsCpuReplaceTheServicesSumWhenGiven() {
        // the measured inputs of MeasuredInputsTests.example(): 0.12 cores + 14 ms per request, 5.2 ms on the path
        Plan plan = CapacityCalculator.plan(workload("--rps", "100", "--cache-hit-rate", "0", "--machine-cpu-ms", "14",
                "--background-cores", "0.12", "--critical-cpu-ms", "5.2", "--at-rest-latency-ms", "14.8"));

        assertThat(plan.oneMachineSaturation()).isCloseTo((2 - 0.12) / 0.014, within(1e-9)); // 134.3 requests/s
        assertThat(plan.oneMachineUtilisation()).isCloseTo((0.12 + 1.4) / 2, within(1e-9));
        assertThat(plan.oneMachineLatencyMs()).isCloseTo(14.8 + 5.2 * CapacityCalculator.queueingStretch(2, 0.76),
                within(1e-9));
        assertThat(CapacityCalculator.render(workload("--machine-cpu-ms", "14", "--critical-cpu-ms", "5.2"),
                CapacityCalculator.plan(workload("--machine-cpu-ms", "14", "--critical-cpu-ms", "5.2"))))
                .contains("14.0 ms of CPU per request").contains("on the 5.2 ms of CPU on the request's path");
    }

    @Test
    void withoutThePathsCpuEveryMillisecondQueuesAsInMmc() {
        Plan all = CapacityCalculator.plan(workload("--rps", "30", "--cache-hit-rate", "0"));
        Plan path = CapacityCalculator.plan(workload("--rps", "30", "--cache-hit-rate", "0", "--critical-cpu-ms", "41.4"));

        // 41.4 ms per request at 30 requests/s on 2 cores: M/M/2's wait on the whole of it
        assertThat(all.oneMachineLatencyMs()).isCloseTo(38 + 41.4 * CapacityCalculator.queueingStretch(2, 30 * 0.0414 / 2),
                within(1e-9));
        assertThat(path.oneMachineLatencyMs()).isCloseTo(all.oneMachineLatencyMs(), within(1e-9));
    }

    @Test
    void replicasAreAtLeastTwoAndGrowWithLoad() {
        Plan small = CapacityCalculator.plan(workload());
        Plan large = CapacityCalculator.plan(workload("--rps", "2000"));

        assertThat(small.replicas().values()).allMatch(n -> n >= 2);
        // orchestrator: 2,000 requests/s × 13.4 ms = 26.8 cores / 0.7 per replica → 39; retrieval runs per model
        // call only: 1,600 calls/s × 3.4 ms = 5.44 cores / 0.7 → 8
        assertThat(large.replicas()).containsEntry("orchestrator", 39).containsEntry("retrieval", 8)
                .doesNotContainKey("kafka");
        assertThat(large.kafkaPartitions()).isGreaterThanOrEqualTo(large.replicas().values().stream().mapToInt(i -> i).max().orElseThrow());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--rps,-1                          | --rps must be above 0",
            "--cache-hit-rate,1                | --cache-hit-rate must be in [0, 1)",
            "--headroom,1.5                    | --headroom must be in (0, 1]",
            "--slo-ttft-ms,10                  | cannot be met: even on an idle server",
            "--prompt-tokens,200000            | does not fit the model server's KV cache",
            "--model,gpt-9                     | --model must be one of",
            "--rps,lots                        | --rps must be a number",
            "--colour,blue                     | unknown option(s) [colour]",
            "--cpu-ms,gateway=-3               | must not be negative",
            "--machine-cores,0.5               | --machine-cores must be at least 1",
            "--machine-cpu-ms,0                | --machine-cpu-ms must be above 0",
            "--background-cores,2              | --background-cores must be from 0 to less than --machine-cores",
            "--critical-cpu-ms,-1              | --critical-cpu-ms must not be negative",
            "--critical-cpu-ms,NaNa            | --critical-cpu-ms must be a number"})
    void rejectsImpossibleParametersWithAClearMessage(String option, String message) {
        String[] pair = option.split(",");
        assertThatThrownBy(() -> CapacityCalculator.plan(workload(pair[0], pair[1])))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
    }

    @Test
    void rendersEveryFigure() {
        String text = CapacityCalculator.render(workload(), CapacityCalculator.plan(workload()));

        assertThat(text).contains("Provider quota:", "RPM", "TPM", "GPU(s)", "replicas", "partitions", "operations/s",
                "saturates at");
    }
}
