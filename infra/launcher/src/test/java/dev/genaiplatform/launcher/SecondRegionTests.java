package dev.genaiplatform.launcher;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SecondRegionTests {

    private final LauncherSettings regionA = LauncherSettings.from(Path.of("/opt/platform"), name -> null);
    private final PlatformSecrets secrets = PlatformSecrets.of(Map.of(
            PlatformSecrets.REDIS_PASSWORD, "redis-a-secret",
            SecondRegion.REDIS_PASSWORD, "redis-b-secret",
            "postgres.gateway.password", "gateway-db-secret",
            "kafka.gateway.password", "gateway-kafka-secret"));

    private final SecondRegion.Ports ports = SecondRegion.Ports.fromEnvironment(regionA, name -> null);
    private final List<ServiceSpec> specs = SecondRegion.specs(regionA, secrets, ports);

    private ServiceSpec spec(String name) {
        return specs.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void regionBRunsItsOwnOrchestratorAndGatewayOnThePortsTheDocsName() {
        assertThat(specs).extracting(ServiceSpec::name).containsExactly("orchestrator-b", "gateway-b");
        assertThat(ports).isEqualTo(new SecondRegion.Ports(8180, 8181, 6380));
        assertThat(spec("gateway-b").port()).isEqualTo(8180);
        assertThat(spec("gateway-b").managementPort()).isEqualTo(9180);
        assertThat(spec("orchestrator-b").port()).isEqualTo(8181);
    }

    @Test
    void regionBUsesItsOwnRedisAndGatewayButTheSharedBrokerDatabaseAndServices() {
        ServiceSpec gateway = spec("gateway-b");
        assertThat(gateway.env())
                .containsEntry("SPRING_DATA_REDIS_PORT", "6380")
                .containsEntry("SPRING_DATA_REDIS_PASSWORD", "redis-b-secret")
                .containsEntry("ORCHESTRATOR_URL", "http://127.0.0.1:8181")
                .containsEntry("PLATFORM_JWKS_URI", "http://127.0.0.1:8180/.well-known/jwks.json")
                // tenants, keys and the signing-key ring: region A's database, region A's credentials
                .containsEntry("SPRING_DATASOURCE_URL", "jdbc:postgresql://127.0.0.1:5432/gateway")
                .containsEntry("SPRING_DATASOURCE_PASSWORD", "gateway-db-secret")
                .containsEntry("SPRING_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092")
                .containsEntry("GUARDRAILS_URL", "http://127.0.0.1:8084")
                .containsEntry("RETRIEVAL_URL", "http://127.0.0.1:8082");
        assertThat(gateway.env().get("SPRING_KAFKA_PROPERTIES_SASL_JAAS_CONFIG"))
                .contains("username=\"gateway\"").contains("gateway-kafka-secret");
        assertThat(spec("orchestrator-b").env())
                .containsEntry("SPRING_DATA_REDIS_PORT", "6380")
                .containsEntry("PLATFORM_JWKS_URI", "http://127.0.0.1:8180/.well-known/jwks.json")
                .containsEntry("LLM_BASE_URL", "http://127.0.0.1:8090/v1")
                .containsEntry("SPRING_DATASOURCE_URL", "jdbc:postgresql://127.0.0.1:5432/orchestrator")
                // its answer cache is region B's Redis, so it hears every document deletion in a group of its own
                .containsEntry("CACHE_INVALIDATION_GROUP", "orchestrator-cache-b");
    }

    @Test
    void regionBPortsMoveWithTheirVariablesAndRejectWhatIsNotANumber() {
        Map<String, String> env = Map.of("REGION_B_GATEWAY_PORT", "28080", "REGION_B_ORCHESTRATOR_PORT", "28081",
                "REGION_B_REDIS_PORT", "26379");
        assertThat(SecondRegion.Ports.fromEnvironment(regionA, env::get))
                .isEqualTo(new SecondRegion.Ports(28080, 28081, 26379));
        assertThatThrownBy(() -> SecondRegion.Ports.fromEnvironment(regionA, Map.of("REGION_B_REDIS_PORT", "x")::get))
                .hasMessageContaining("REGION_B_REDIS_PORT");
    }
}
