package dev.genaiplatform.simulator.limits;

import dev.genaiplatform.simulator.faults.FaultProperties;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.PropertySourcesPlaceholdersResolver;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.io.ClassPathResource;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What application.yml ships: no rate limits and no injected faults unless asked for, so the platform's
 * own tests and benchmarks never meet either; the environment variables turn the limits on.
 */
class ShippedConfigurationTests {

    @Test
    void shipsWithNoRateLimitsAndNoFaultRules() throws IOException {
        Binder binder = binder(Map.of());

        RateLimitProperties limits = binder.bind("platform.simulator.limits", RateLimitProperties.class).get();
        FaultProperties faults = binder.bind("platform.simulator.faults", FaultProperties.class).get();

        assertThat(limits.forModel("sim-small").none()).isTrue();
        assertThat(limits.forModel("sim-large").none()).isTrue();
        assertThat(faults.rules()).isEmpty();
        assertThat(faults.retryAfter()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void theEnvironmentTurnsTheLimitsOnForEveryModel() throws IOException {
        RateLimitProperties limits = binder(Map.of("SIM_LIMIT_RPM", "500", "SIM_LIMIT_TPM", "30000"))
                .bind("platform.simulator.limits", RateLimitProperties.class).get();

        assertThat(limits.forModel("sim-large")).isEqualTo(new RateLimitProperties.ModelLimits(500, 30_000));
    }

    private static Binder binder(Map<String, Object> environment) throws IOException {
        MutablePropertySources sources = new MutablePropertySources();
        sources.addFirst(new MapPropertySource("environment", environment));
        new YamlPropertySourceLoader().load("application", new ClassPathResource("application.yml"))
                .forEach(sources::addLast);
        return new Binder(ConfigurationPropertySources.from(sources), new PropertySourcesPlaceholdersResolver(sources));
    }
}
