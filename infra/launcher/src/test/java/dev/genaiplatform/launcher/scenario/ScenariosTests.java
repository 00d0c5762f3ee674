package dev.genaiplatform.launcher.scenario;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class ScenariosTests {

    @Test
    void namesTheSeventeenQuestionsOnceEachWithAQuestion() {
        assertThat(Scenarios.all()).hasSize(18);
        assertThat(Scenarios.all()).extracting(Scenario::name).doesNotHaveDuplicates()
                .allMatch(name -> name.matches("[a-z0-9-]+"));
        assertThat(Scenarios.all()).allSatisfy(s -> assertThat(s.question()).matches("[A-Z].{10,}[.?)]"));
        assertThat(Scenarios.named("kv-cache")).containsInstanceOf(KvCache.class);
        assertThat(Scenarios.named("nope")).isEmpty();
    }

    @Test
    void kvCacheOfALlama8bShapeIs128KibPerTokenAndOneGibAt8kTokens() {
        assertThat(ModelArithmetic.kvCacheBytes(32, 8, 128, 1, 2)).isEqualTo(131_072.0);
        assertThat(ModelArithmetic.kvCacheBytes(32, 8, 128, 8192, 2) / ModelArithmetic.GIB).isEqualTo(1.0);
    }

    @Test
    void weightsAndTrainingComputeFollowTheTextbookFormulas() {
        assertThat(ModelArithmetic.weightBytes(1e9, 4)).isEqualTo(5e8);
        assertThat(ModelArithmetic.trainingFlops(7e9, 2e12)).isEqualTo(8.4e22);
    }

    @Test
    void theScenarioModelConfigurationAddsTheOfflineModelWithAFallbackAndAllowsIt() {
        JsonNode config = Gateway.JSON.readTree(Scenarios.offlineModelConfiguration());

        assertThat(config.at("/platform/orchestrator/models/sim-offline/provider").asString()).isEqualTo("offline");
        assertThat(config.at("/platform/orchestrator/fallbacks/sim-offline/0").asString()).isEqualTo("sim-small");
        assertThat(config.at("/platform/gateway/tenants/demo/models").toString()).contains("sim-offline", "auto", "sim-small");
    }

    @Test
    void everyCommittedSampleInputIsThere() throws Exception {
        Path samples = Path.of(System.getProperty("platform.home", "../..")).resolve("scenarios");
        assertThat(samples.resolve("payslips")).isDirectory();
        try (var payslips = Files.list(samples.resolve("payslips"))) {
            assertThat(payslips.count()).isEqualTo(3);
        }
        assertThat(Gateway.JSON.readTree(Files.readString(samples.resolve("math/word-problems.json"))).size()).isEqualTo(3);
        assertThat(samples.resolve("patient-notes/visit-2026-11-20.txt")).isRegularFile();
        try (var claims = Files.list(samples.resolve("claims"))) {
            assertThat(claims.count()).isEqualTo(3);
        }
    }
}
