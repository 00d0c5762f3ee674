package dev.genaiplatform.simulator.model;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The profiles as application.yml defines them, bound the way Spring Boot binds them. */
class ModelProfileBindingTests {

    @Test
    void theLargeModelIsSlowerPricierRoomierAndCombinesMoreContext() throws IOException {
        List<ModelProfile> models = bind(Map.of());

        assertThat(models).extracting(ModelProfile::id).containsExactly("sim-small", "sim-large");
        ModelProfile small = models.get(0);
        ModelProfile large = models.get(1);
        assertThat(large.contextWindow()).isGreaterThan(small.contextWindow());
        assertThat(large.serving().prefillTokensPerSecond()).isLessThan(small.serving().prefillTokensPerSecond());
        assertThat(large.serving().decodeStep()).isGreaterThan(small.serving().decodeStep());
        assertThat(large.serving().decodeStepPerSequence()).isGreaterThan(small.serving().decodeStepPerSequence());
        assertThat(large.pricing().input()).isGreaterThan(small.pricing().input());
        assertThat(large.pricing().output()).isGreaterThan(small.pricing().output());
        assertThat(small.pricing().input()).isEqualByComparingTo(new BigDecimal("0.00015"));
        assertThat(large.answer().maxSentences()).isGreaterThan(small.answer().maxSentences());
        assertThat(large.answer().minRelevance()).isLessThan(small.answer().minRelevance());
    }

    @Test
    void timingFollowsTheServingModelUnlessTheDelayVariablesAreSet() throws IOException {
        assertThat(bind(Map.of())).allSatisfy(model -> {
            assertThat(model.timeToFirstToken()).isNull();
            assertThat(model.interTokenDelay()).isNull();
        });
        assertThat(bind(Map.of("SIM_TIME_TO_FIRST_TOKEN_MS", "0", "SIM_INTER_TOKEN_MS", "0"))).allSatisfy(model -> {
            assertThat(model.timeToFirstToken()).isZero();
            assertThat(model.interTokenDelay()).isZero();
        });
        assertThat(bind(Map.of("SIM_INTER_TOKEN_MS", "40")).getFirst().interTokenDelay()).isEqualTo(Duration.ofMillis(40));
    }

    private static List<ModelProfile> bind(Map<String, Object> environment) throws IOException {
        return ConfiguredProfiles.bind(environment);
    }
}
