package dev.genaiplatform.load;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class GatlingSummaryTests {

    /** Gatling's end-of-run table, as the 2026-12-06 sweep printed it at 46 requests/s (infra/load/runs). */
    static final String PAST_THE_KNEE = """
            Simulation dev.genaiplatform.load.PlatformSimulation completed in 45 seconds
            Parsing log file(s)...
            ================================================================================
            ---- Global Information -------------------------------------------------------------|---Total---|-----OK----|----KO----
            > request count                                                                      |     2,070 |     2,023 |        47
            > min response time (ms)                                                             |        15 |        81 |        15
            > max response time (ms)                                                             |     1,081 |     1,081 |       121
            > mean response time (ms)                                                            |       428 |       437 |        46
            > response time std deviation (ms)                                                   |       189 |       181 |        21
            > response time 50th percentile (ms)                                                 |       402 |       406 |        43
            > response time 75th percentile (ms)                                                 |       554 |       559 |        56
            > response time 95th percentile (ms)                                                 |       758 |       760 |        87
            > response time 99th percentile (ms)                                                 |       920 |       922 |       121
            > mean throughput (rps)                                                              |        45 |     43.98 |      1.02
            ---- Response Time Distribution ----------------------------------------------------------------------------------------
            > OK: t < 800 ms                                                                                          1,945 (93.96%)
            > KO                                                                                                         47  (2.27%)
            ---- Errors ------------------------------------------------------------------------------------------------------------
            > status.find.is(200), found 503                                                                             47   (100%)
            ================================================================================

            Reports generated, please open the following file: file:///x/index.html
            """;

    static String carried(int requests, int mean, int p50, int p99) {
        return """
                ---- Global Information -------------------------------------------------------------|---Total---|-----OK----|----KO----
                > request count                                                                      | %,9d | %,9d |         -
                > mean response time (ms)                                                            | %9d | %9d |         -
                > response time 50th percentile (ms)                                                 | %9d | %9d |         -
                > response time 99th percentile (ms)                                                 | %9d | %9d |         -
                ================================================================================
                """.formatted(requests, requests, mean, mean, p50, p50, p99, p99);
    }

    @Test
    void readsTheTotalsAndTheFailuresOfTheSummaryTable() {
        GatlingSummary summary = GatlingSummary.parse(PAST_THE_KNEE);

        assertThat(summary.requests()).isEqualTo(2070);
        assertThat(summary.failed()).isEqualTo(47);
        assertThat(summary.meanMs()).isEqualTo(428);
        assertThat(summary.p50Ms()).isEqualTo(402);
        assertThat(summary.p99Ms()).isEqualTo(920);
        assertThat(summary.failedShare()).isCloseTo(0.0227, within(1e-4));
        assertThat(summary.table()).startsWith("---- Global Information").contains("found 503")
                .doesNotContain("=====").doesNotContain("Reports generated");
    }

    @Test
    void aDashInTheFailedColumnIsNoFailure() {
        GatlingSummary summary = GatlingSummary.parse(carried(1080, 57, 39, 247));

        assertThat(summary.requests()).isEqualTo(1080);
        assertThat(summary.failed()).isZero();
        assertThat(summary.meanMs()).isEqualTo(57);
    }

    @Test
    void readsTheLastSummaryWhenTheOutputHoldsSeveral() {
        GatlingSummary summary = GatlingSummary.parse(carried(180, 54, 51, 178) + carried(360, 46, 43, 89));

        assertThat(summary.requests()).isEqualTo(360);
        assertThat(summary.meanMs()).isEqualTo(46);
    }

    @Test
    void anOutputWithoutASummaryIsRefused() {
        assertThatThrownBy(() -> GatlingSummary.parse("[ERROR] Failed to execute goal io.gatling:gatling-maven-plugin"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no Gatling summary");
    }

    @Test
    void aSummaryWithoutItsPercentilesIsRefused() {
        String withoutP99 = carried(180, 54, 51, 178).replaceAll("(?m)^> response time 99th.*\\n", "");

        assertThatThrownBy(() -> GatlingSummary.parse(withoutP99))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("p99");
    }
}
