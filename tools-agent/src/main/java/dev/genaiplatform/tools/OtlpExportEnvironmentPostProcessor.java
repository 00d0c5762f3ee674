package dev.genaiplatform.tools;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.util.StringUtils;

import java.util.Map;

/**
 * Exports traces and metrics over OTLP only when {@code OTEL_EXPORTER_OTLP_ENDPOINT} is set (the OpenTelemetry
 * convention: a base URL such as {@code http://127.0.0.1:4318}). Without it nothing leaves the process: Boot
 * creates no span exporter without an endpoint, and application.yml switches the OTLP metrics registry off.
 * Trace context still propagates through Kafka and HTTP headers either way.
 *
 * <p>Registered in {@code META-INF/spring.factories}. The properties sit just below the environment variables,
 * so an explicit {@code MANAGEMENT_...} variable still wins.
 */
class OtlpExportEnvironmentPostProcessor implements EnvironmentPostProcessor {

    static final String ENDPOINT_VARIABLE = "OTEL_EXPORTER_OTLP_ENDPOINT";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        String endpoint = environment.getProperty(ENDPOINT_VARIABLE);
        if (!StringUtils.hasText(endpoint)) {
            return;
        }
        String base = endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint;
        var exportProperties = new MapPropertySource("otlpExport", Map.of(
                "management.opentelemetry.tracing.export.otlp.endpoint", base + "/v1/traces",
                "management.otlp.metrics.export.enabled", "true",
                "management.otlp.metrics.export.url", base + "/v1/metrics"));
        environment.getPropertySources()
                .addAfter(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, exportProperties);
    }
}
