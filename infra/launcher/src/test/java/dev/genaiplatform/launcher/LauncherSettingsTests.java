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

    @Test
    void usesTheDocumentedDefaultPortsWhenNoVariableIsSet() {
        LauncherSettings settings = LauncherSettings.from(home, name -> null);

        assertThat(settings.gatewayPort()).isEqualTo(8080);
        assertThat(settings.bootstrapServers()).isEqualTo("127.0.0.1:9092");
        assertThat(settings.demoApiKey()).isEqualTo("demo-local-key");
    }

    @Test
    void environmentVariablesMoveThePorts() {
        Map<String, String> env = Map.of("GATEWAY_PORT", "18080", "KAFKA_PORT", "19092");
        LauncherSettings settings = LauncherSettings.from(home, env::get);

        assertThat(settings.gatewayPort()).isEqualTo(18080);
        assertThat(settings.services()).allSatisfy(service ->
                assertThat(service.env()).containsEntry("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:19092"));
    }

    @Test
    void rejectsAPortThatIsNotANumber() {
        assertThatThrownBy(() -> LauncherSettings.from(home, Map.of("REDIS_PORT", "six")::get))
                .hasMessageContaining("REDIS_PORT");
    }

    @Test
    void wiresTheGatewayToEveryServiceItRoutesTo() {
        LauncherSettings settings = LauncherSettings.from(home, name -> null);
        ServiceSpec gateway = settings.services().stream().filter(s -> s.name().equals("gateway")).findFirst().orElseThrow();

        assertThat(gateway.env()).containsEntry("ORCHESTRATOR_URL", "http://127.0.0.1:8081")
                .containsEntry("EVALUATION_URL", "http://127.0.0.1:8085")
                .containsEntry("REDIS_PORT", "6379");
    }

    @Test
    void pointsRetrievalAtTheRepositorysDocsFolder() {
        ServiceSpec retrieval = LauncherSettings.from(home, name -> null).services().getFirst();

        assertThat(retrieval.name()).isEqualTo("retrieval");
        assertThat(retrieval.env().get("RETRIEVAL_DOCUMENTS")).isEqualTo("file:/opt/platform/docs/**/*.md");
    }

    @Test
    void startsTheGatewayLastSoThatItsReadinessMeansEverythingIsUp() {
        List<ServiceSpec> services = LauncherSettings.from(home, name -> null).services();

        assertThat(services.getLast().name()).isEqualTo("gateway");
        assertThat(services).extracting(ServiceSpec::name).doesNotHaveDuplicates().hasSize(7);
    }

    @Test
    void extraArgumentsReachOnlyTheServiceTheyAreFor() {
        LauncherSettings settings = LauncherSettings.from(home, name -> null)
                .withServiceArgs(Map.of("gateway", List.of("--x=1")));

        assertThat(settings.services()).allSatisfy(s ->
                assertThat(s.extraArgs()).isEqualTo(s.name().equals("gateway") ? List.of("--x=1") : List.of()));
    }

    @Test
    void findsTheRepositoryRootFromAFolderInsideIt() throws Exception {
        Path root = Files.createTempDirectory("platform-home");
        Files.createDirectories(root.resolve("infra/launcher/src"));
        Files.writeString(root.resolve("pom.xml"), "<project/>");

        assertThat(LauncherSettings.findHome(root.resolve("infra/launcher/src"))).isEqualTo(root.toAbsolutePath());
    }
}
