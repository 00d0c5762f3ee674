package dev.genaiplatform.tools;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class OtlpExportEnvironmentPostProcessorTests {

    private final OtlpExportEnvironmentPostProcessor postProcessor = new OtlpExportEnvironmentPostProcessor();

    @Test
    void exportsNothingWhenNoEndpointIsSet() {
        var environment = environmentWith(Map.of());

        postProcessor.postProcessEnvironment(environment, new SpringApplication());

        assertThat(environment.getProperty("management.opentelemetry.tracing.export.otlp.endpoint")).isNull();
        assertThat(environment.getProperty("management.otlp.metrics.export.enabled")).isEqualTo("false");
    }

    @Test
    void pointsTracesAndMetricsAtTheCollectorWhenTheEndpointIsSet() {
        var environment = environmentWith(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4318/"));

        postProcessor.postProcessEnvironment(environment, new SpringApplication());

        assertThat(environment.getProperty("management.opentelemetry.tracing.export.otlp.endpoint"))
                .isEqualTo("http://127.0.0.1:4318/v1/traces");
        assertThat(environment.getProperty("management.otlp.metrics.export.url"))
                .isEqualTo("http://127.0.0.1:4318/v1/metrics");
        assertThat(environment.getProperty("management.otlp.metrics.export.enabled")).isEqualTo("true");
    }

    /** A real environment (with its system-environment source) plus the variables and application.yml's default. */
    private static StandardEnvironment environmentWith(Map<String, Object> variables) {
        var environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("variables", variables));
        environment.getPropertySources().addLast(new MapPropertySource("application.yml",
                Map.of("management.otlp.metrics.export.enabled", "false")));
        return environment;
    }
}
