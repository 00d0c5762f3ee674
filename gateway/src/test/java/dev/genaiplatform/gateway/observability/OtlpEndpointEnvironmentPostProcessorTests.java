package dev.genaiplatform.gateway.observability;

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.mock.env.MockPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

class OtlpEndpointEnvironmentPostProcessorTests {

    private final OtlpEndpointEnvironmentPostProcessor processor = new OtlpEndpointEnvironmentPostProcessor();

    @Test
    void leavesTraceExportOffWhenNoEndpointIsSet() {
        StandardEnvironment environment = environment(new MockPropertySource());
        processor.postProcessEnvironment(environment, new SpringApplication());
        assertThat(environment.containsProperty(OtlpEndpointEnvironmentPostProcessor.TRACING_ENDPOINT)).isFalse();
    }

    @Test
    void exportsTracesToTheCollectorNamedByTheStandardVariable() {
        StandardEnvironment environment = environment(new MockPropertySource()
            .withProperty(OtlpEndpointEnvironmentPostProcessor.ENDPOINT_ENV, "http://collector:4318/"));
        processor.postProcessEnvironment(environment, new SpringApplication());
        assertThat(environment.getProperty(OtlpEndpointEnvironmentPostProcessor.TRACING_ENDPOINT))
            .isEqualTo("http://collector:4318/v1/traces");
    }

    @Test
    void keepsAnExplicitTracingEndpoint() {
        StandardEnvironment environment = environment(new MockPropertySource()
            .withProperty(OtlpEndpointEnvironmentPostProcessor.ENDPOINT_ENV, "http://collector:4318")
            .withProperty(OtlpEndpointEnvironmentPostProcessor.TRACING_ENDPOINT, "http://other:4318/v1/traces"));
        processor.postProcessEnvironment(environment, new SpringApplication());
        assertThat(environment.getProperty(OtlpEndpointEnvironmentPostProcessor.TRACING_ENDPOINT))
            .isEqualTo("http://other:4318/v1/traces");
    }

    private static StandardEnvironment environment(MockPropertySource source) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(source);
        return environment;
    }
}
