package dev.genaiplatform.gateway.observability;

import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.StringUtils;

/**
 * Exports traces only when the standard {@value #ENDPOINT_ENV} is set. Spring Boot creates its OTLP
 * span exporter only when {@value #TRACING_ENDPOINT} has a value, and a YAML placeholder cannot express
 * "absent unless the variable is set" (an empty default still counts as set). The variable holds the
 * collector's base URL, as the OpenTelemetry specification defines it; traces go to its
 * {@code /v1/traces}. An explicit {@value #TRACING_ENDPOINT} wins.
 */
public class OtlpEndpointEnvironmentPostProcessor implements EnvironmentPostProcessor {

    static final String ENDPOINT_ENV = "OTEL_EXPORTER_OTLP_ENDPOINT";

    static final String TRACING_ENDPOINT = "management.opentelemetry.tracing.export.otlp.endpoint";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        String base = environment.getProperty(ENDPOINT_ENV);
        if (!StringUtils.hasText(base) || environment.containsProperty(TRACING_ENDPOINT)) {
            return;
        }
        String endpoint = base.strip().replaceAll("/+$", "") + "/v1/traces";
        environment.getPropertySources()
            .addLast(new MapPropertySource("otlpEndpointFromEnvironment", Map.of(TRACING_ENDPOINT, endpoint)));
    }
}
