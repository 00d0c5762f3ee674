package dev.genaiplatform.launcher;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LauncherSettingsTests {

    private final Path home = Path.of("/opt/platform");
    private final PlatformSecrets secrets = PlatformSecrets.of(Map.of(
            PlatformSecrets.REDIS_PASSWORD, "redis-secret",
            "postgres.gateway.password", "gateway-db-secret",
            "kafka.gateway.password", "gateway-kafka-secret",
            PlatformSecrets.ADMIN_API_KEY, "admin-key",
            PlatformSecrets.EVALUATION_API_KEY, "evaluation-key"));

    private List<ServiceSpec> services(LauncherSettings settings) {
        return new ServiceEnvironment(settings, secrets).services();
    }

    private ServiceSpec service(LauncherSettings settings, String name) {
        return services(settings).stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    private final LauncherSettings defaults = LauncherSettings.from(home, name -> null);

    @Test
    void usesTheDocumentedDefaultPortsWhenNoVariableIsSet() {
        assertThat(defaults.gatewayPort()).isEqualTo(8080);
        assertThat(defaults.postgresPort()).isEqualTo(5432);
        assertThat(defaults.bootstrapServers()).isEqualTo("127.0.0.1:9092");
        assertThat(defaults.demoApiKey()).isEqualTo("demo-local-key");
        assertThat(defaults.dataDir()).isEqualTo(home.resolve(".platform/data"));
    }

    @Test
    void environmentVariablesMoveThePortsAndTheDataDirectory() {
        Map<String, String> env = Map.of("GATEWAY_PORT", "18080", "KAFKA_PORT", "19092", "PLATFORM_DATA_DIR", "/var/platform");
        LauncherSettings settings = LauncherSettings.from(home, env::get);

        assertThat(settings.gatewayPort()).isEqualTo(18080);
        assertThat(settings.dataDir()).isEqualTo(Path.of("/var/platform"));
        assertThat(services(settings)).filteredOn(s -> !s.name().equals("llm-simulator")).allSatisfy(service ->
                assertThat(service.env()).containsEntry("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:19092")
                        .containsEntry("PLATFORM_JWKS_URI", "http://127.0.0.1:18080/.well-known/jwks.json"));
    }

    @Test
    void aStartThatTrainsTheCachesSendsNoSyntheticRequestsUnlessAskedTo() {
        assertThat(defaults.aotTrainingRequests()).isZero(); // they would be the demo tenant's requests, budget and records
        assertThat(LauncherSettings.from(home, Map.of("PLATFORM_AOT_TRAINING_REQUESTS", "4000")::get).aotTrainingRequests())
                .isEqualTo(4000);
        assertThatThrownBy(() -> LauncherSettings.from(home, Map.of("PLATFORM_AOT_TRAINING_REQUESTS", "-1")::get))
                .hasMessageContaining("PLATFORM_AOT_TRAINING_REQUESTS");
        assertThatThrownBy(() -> LauncherSettings.from(home, Map.of("PLATFORM_AOT_TRAINING_REQUESTS", "many")::get))
                .hasMessageContaining("PLATFORM_AOT_TRAINING_REQUESTS");
    }

    @Test
    void rejectsAPortThatIsNotANumberAndASamplingRateOutsideZeroToOne() {
        assertThatThrownBy(() -> LauncherSettings.from(home, Map.of("REDIS_PORT", "six")::get))
                .hasMessageContaining("REDIS_PORT");
        assertThatThrownBy(() -> LauncherSettings.from(home, Map.of("TRACING_SAMPLING_PROBABILITY", "10")::get))
                .hasMessageContaining("TRACING_SAMPLING_PROBABILITY");
    }

    @Test
    void bindsEveryServiceToLoopbackWithActuatorOnItsPortPlusAThousand() {
        assertThat(services(defaults)).allSatisfy(service -> {
            assertThat(service.env()).containsEntry("SERVER_ADDRESS", "127.0.0.1")
                    .containsEntry("MANAGEMENT_ADDRESS", "127.0.0.1")
                    .containsEntry("MANAGEMENT_PORT", String.valueOf(service.port() + 1000));
            assertThat(service.managementPort()).isEqualTo(service.port() + 1000);
            assertThat(service.readinessUrl()).isEqualTo("http://127.0.0.1:" + (service.port() + 1000)
                    + "/actuator/health/readiness");
        });
        assertThat(service(defaults, "llm-simulator").managementPort()).isEqualTo(9090);
    }

    @Test
    void wiresTheGatewayToEveryServiceItRoutesToWithItsCredentials() {
        ServiceSpec gateway = service(defaults, "gateway");

        assertThat(gateway.env()).containsEntry("ORCHESTRATOR_URL", "http://127.0.0.1:8081")
                .containsEntry("EVALUATION_URL", "http://127.0.0.1:8085")
                .containsEntry("GUARDRAILS_URL", "http://127.0.0.1:8084")
                .containsEntry("REDIS_PORT", "6379")
                .containsEntry("SPRING_DATA_REDIS_PASSWORD", "redis-secret")
                .containsEntry("SPRING_DATASOURCE_URL", "jdbc:postgresql://127.0.0.1:5432/gateway")
                .containsEntry("SPRING_DATASOURCE_USERNAME", "gateway")
                .containsEntry("SPRING_DATASOURCE_PASSWORD", "gateway-db-secret")
                .containsEntry("SPRING_KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT")
                .containsEntry("SPRING_KAFKA_PROPERTIES_SASL_MECHANISM", "PLAIN")
                .containsEntry("PLATFORM_ADMIN_API_KEY", "admin-key")
                .containsEntry("PLATFORM_EVALUATION_API_KEY", "evaluation-key");
        assertThat(gateway.env().get("SPRING_KAFKA_PROPERTIES_SASL_JAAS_CONFIG"))
                .contains("username=\"gateway\"", "password=\"gateway-kafka-secret\"").doesNotContain("user_");
    }

    @Test
    void wiresTheOrchestratorToTheSimulatorAndToToolsAgentOnTheirConfiguredPorts() {
        LauncherSettings moved = LauncherSettings.from(Path.of("/repo"),
                Map.of("TOOLS_AGENT_PORT", "18083", "LLM_SIMULATOR_PORT", "18090")::get);

        assertThat(service(moved, "orchestrator").env())
                .containsEntry("TOOLS_AGENT_URL", "http://127.0.0.1:18083")
                .containsEntry("LLM_BASE_URL", "http://127.0.0.1:18090/v1");
    }

    @Test
    void givesEachStatefulServiceItsOwnDatabaseAndEveryOtherNone() {
        ServiceEnvironment environment = new ServiceEnvironment(defaults, secrets);

        assertThat(environment.databases())
                .containsExactlyInAnyOrder("gateway", "retrieval", "tools_agent", "evaluation", "orchestrator");
        assertThat(service(defaults, "guardrails").env()).doesNotContainKey("SPRING_DATASOURCE_URL");
        assertThat(service(defaults, "llm-simulator").env()).doesNotContainKeys("SPRING_DATASOURCE_URL",
                "KAFKA_BOOTSTRAP_SERVERS", "PLATFORM_JWKS_URI", "SPRING_DATA_REDIS_PASSWORD");
    }

    @Test
    void startsTwoServicesAtOnceUnlessToldOtherwiseAndRefusesLessThanOne() {
        assertThat(defaults.startParallelism()).isEqualTo(LauncherSettings.DEFAULT_START_PARALLELISM);
        assertThat(LauncherSettings.from(home, Map.of("PLATFORM_START_PARALLELISM", "7")::get).startParallelism())
                .isEqualTo(7);
        assertThatThrownBy(() -> LauncherSettings.from(home, Map.of("PLATFORM_START_PARALLELISM", "0")::get))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PLATFORM_START_PARALLELISM");
        assertThatThrownBy(() -> LauncherSettings.from(home, Map.of("PLATFORM_START_PARALLELISM", "all")::get))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("whole number");
    }

    @Test
    void givesTheBrokerOneUserPerKafkaServicePlusItsOwn() {
        assertThat(new ServiceEnvironment(defaults, secrets).kafkaUsers()).containsOnlyKeys("broker", "retrieval",
                "guardrails", "tools-agent", "evaluation", "orchestrator", "gateway");
    }

    @Test
    void evaluationKnowsTheGatewayAndRetrievalKeepsItsIndexInTheDataDirectory() {
        assertThat(service(defaults, "evaluation").env()).containsEntry("PLATFORM_GATEWAY_URL", "http://127.0.0.1:8080")
                .containsEntry("PLATFORM_EVALUATION_API_KEY", "evaluation-key");
        ServiceSpec retrieval = services(defaults).getFirst();
        assertThat(retrieval.name()).isEqualTo("retrieval");
        assertThat(retrieval.env().get("RETRIEVAL_DOCUMENTS")).isEqualTo("file:/opt/platform/docs/**/*.md");
        assertThat(retrieval.env().get("RETRIEVAL_INDEX_DIR")).isEqualTo("/opt/platform/.platform/data/retrieval-index");
    }

    @Test
    void aTestsExtraEnvironmentReachesEveryServiceButCannotUnwireIt() {
        LauncherSettings settings = defaults.withServiceEnv(Map.of("SIM_INSPECTION_ENABLED", "true", "GATEWAY_PORT", "1"));

        assertThat(services(settings)).allSatisfy(s -> assertThat(s.env()).containsEntry("SIM_INSPECTION_ENABLED", "true"));
        assertThat(service(settings, "gateway").env()).containsEntry("GATEWAY_PORT", "8080");
        assertThat(service(defaults, "llm-simulator").env()).doesNotContainKey("SIM_INSPECTION_ENABLED");
    }

    @Test
    void startsTheGatewayLastSoThatItsReadinessMeansEverythingIsUp() {
        List<ServiceSpec> services = services(defaults);

        assertThat(services.getLast().name()).isEqualTo("gateway");
        assertThat(services).extracting(ServiceSpec::name).doesNotHaveDuplicates().hasSize(7);
    }

    @Test
    void extraArgumentsReachOnlyTheServiceTheyAreFor() {
        LauncherSettings settings = defaults.withServiceArgs(Map.of("gateway", List.of("--x=1")));

        assertThat(services(settings)).allSatisfy(s ->
                assertThat(s.extraArgs()).isEqualTo(s.name().equals("gateway") ? List.of("--x=1") : List.of()));
    }

    @Test
    void leanByDefaultSmallHeapsTwoMallocArenasQuickCompilerForLightServicesAndIdleConsumersPollingLess() {
        assertThat(defaults.lean()).isTrue();
        assertThat(services(defaults)).allSatisfy(service -> {
            assertThat(service.env()).containsEntry("MALLOC_ARENA_MAX", "2");
            assertThat(service.jvmArgs()).containsAll(ServiceEnvironment.LEAN_JVM_OPTIONS);
        });
        assertThat(service(defaults, "llm-simulator").jvmArgs()).contains(ServiceEnvironment.QUICK_COMPILER_ONLY);
        assertThat(service(defaults, "tools-agent").jvmArgs()).contains(ServiceEnvironment.QUICK_COMPILER_ONLY);
        assertThat(service(defaults, "orchestrator").jvmArgs()).doesNotContain(ServiceEnvironment.QUICK_COMPILER_ONLY);
        assertThat(services(defaults)).filteredOn(s -> s.env().containsKey("SPRING_KAFKA_BOOTSTRAP_SERVERS"))
                .hasSize(6).allSatisfy(service -> assertThat(service.env())
                        .containsEntry("SPRING_KAFKA_CONSUMER_PROPERTIES_FETCH_MAX_WAIT_MS", "2000"));
        // guardrails' own stack size still comes after the shared options, so it wins
        assertThat(service(defaults, "guardrails").jvmArgs()).endsWith("-Xss2m");
    }

    @Test
    void leanRunsLetOnlyServicesWhoseListenersMaySeeARecordTwiceCommitOffsetsOnceASecond() {
        assertThat(services(defaults)).allSatisfy(service -> {
            if (service.name().equals("evaluation")) {
                assertThat(service.env()).containsEntry("SPRING_KAFKA_LISTENER_ACK_MODE", "time")
                        .containsEntry("SPRING_KAFKA_LISTENER_ACK_TIME", ServiceEnvironment.COMMIT_INTERVAL);
            } else {
                // tool calls may have side effects; guardrails and retrieval's search listener set their own, the
                // orchestrator's reply consumers commit nothing
                assertThat(service.env()).doesNotContainKeys("SPRING_KAFKA_LISTENER_ACK_MODE",
                        "SPRING_KAFKA_LISTENER_ACK_TIME");
            }
        });
        LauncherSettings plain = LauncherSettings.from(home, Map.of("PLATFORM_LEAN", "false")::get);
        assertThat(services(plain)).allSatisfy(service ->
                assertThat(service.env()).doesNotContainKey("SPRING_KAFKA_LISTENER_ACK_MODE"));
    }

    @Test
    void leanSwitchedOffRunsEveryJvmWithTheDefaultsToCompare() {
        LauncherSettings plain = LauncherSettings.from(home, Map.of("PLATFORM_LEAN", "false")::get);

        assertThat(plain.lean()).isFalse();
        assertThat(services(plain)).allSatisfy(service -> {
            assertThat(service.env()).doesNotContainKeys("MALLOC_ARENA_MAX",
                    "SPRING_KAFKA_CONSUMER_PROPERTIES_FETCH_MAX_WAIT_MS");
            assertThat(service.jvmArgs()).doesNotContainAnyElementsOf(ServiceEnvironment.LEAN_JVM_OPTIONS)
                    .doesNotContain(ServiceEnvironment.QUICK_COMPILER_ONLY);
        });
    }

    @Test
    void findsTheRepositoryRootFromAFolderInsideIt() throws Exception {
        Path root = Files.createTempDirectory("platform-home");
        Files.createDirectories(root.resolve("infra/launcher/src"));
        Files.writeString(root.resolve("pom.xml"), "<project/>");

        assertThat(LauncherSettings.findHome(root.resolve("infra/launcher/src"))).isEqualTo(root.toAbsolutePath());
    }

    @Test
    void leanRunsKeepOneIdleDatabaseConnectionPerServiceAndDefaultRunsLeaveHikarisPoolAlone() {
        assertThat(services(defaults)).filteredOn(s -> s.env().containsKey("SPRING_DATASOURCE_URL"))
                .isNotEmpty()
                .allSatisfy(s -> assertThat(s.env()).containsEntry("SPRING_DATASOURCE_HIKARI_MINIMUMIDLE", "1"));
        LauncherSettings notLean = LauncherSettings.from(home, Map.of("PLATFORM_LEAN", "false")::get);
        assertThat(services(notLean)).allSatisfy(s ->
                assertThat(s.env()).doesNotContainKey("SPRING_DATASOURCE_HIKARI_MINIMUMIDLE"));
    }

    @Test
    void onlyTheSimulatorStartsWithoutWaitingForTheStores() {
        assertThat(services(defaults).stream().filter(spec -> !spec.needsStores()).map(ServiceSpec::name))
                .containsExactly("llm-simulator");
    }

}
