package dev.genaiplatform.launcher;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The compose file and the Kubernetes manifests, checked offline (no Docker, no cluster): every file
 * parses, and every cross-reference holds: services and ports referenced exist, ports agree with each
 * module's application.yml and with the launcher, probes are on the management port, each secret used
 * is one the secret scripts create, and every scaled service has an autoscaler and a disruption budget.
 */
@SuppressWarnings("unchecked")
class DeploymentManifestsTests {

    private static final Path HOME = Path.of(System.getProperty("platform.home", "../..")).toAbsolutePath().normalize();
    private static final Path K8S = HOME.resolve("infra/k8s");
    private static final Path DOCKER = HOME.resolve("infra/docker");
    private static final Pattern URL = Pattern.compile("^https?://([a-z0-9-]+):(\\d+)(/.*)?$");
    private static final Pattern JDBC = Pattern.compile("^jdbc:postgresql://postgres:5432/([a-z_]+)$");
    private static final Map<String, String> MODULES = Map.of("gateway", "gateway", "orchestrator", "orchestrator",
            "retrieval", "retrieval", "tools-agent", "tools-agent", "guardrails", "guardrails",
            "evaluation", "evaluation", "llm-simulator", "infra/llm-simulator");

    private static List<Map<String, Object>> k8s;

    @BeforeAll
    static void load() throws IOException {
        k8s = new ArrayList<>();
        try (Stream<Path> files = Files.list(K8S)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                try (Reader in = Files.newBufferedReader(file)) {
                    for (Object doc : new Yaml().loadAll(in)) {
                        if (doc != null) {
                            Map<String, Object> object = new HashMap<>((Map<String, Object>) doc);
                            object.put("_file", file.getFileName().toString());
                            k8s.add(object);
                        }
                    }
                }
            }
        }
    }

    @Test
    void everyKubernetesObjectIsNamedAndTheKustomizationListsEveryFile() throws IOException {
        assertThat(k8s).allSatisfy(o -> {
            assertThat(o).containsKeys("apiVersion", "kind");
            if (!"Kustomization".equals(o.get("kind"))) {
                assertThat(map(o, "metadata")).as(o.get("_file") + " " + o.get("kind")).containsKey("name");
            }
        });
        Map<String, Object> kustomization = only("Kustomization", null);
        Set<String> files;
        try (Stream<Path> list = Files.list(K8S)) {
            files = list.map(f -> f.getFileName().toString())
                    .filter(f -> f.endsWith(".yaml") && !f.equals("kustomization.yaml")).collect(Collectors.toSet());
        }
        assertThat((List<String>) kustomization.get("resources")).containsExactlyInAnyOrderElementsOf(files);
    }

    @Test
    void eachServiceListensWhereItsApplicationYmlAndTheLauncherSayAndIsProbedOnItsManagementPort() throws IOException {
        Map<String, Integer> launcherPorts = new ServiceEnvironment(LauncherSettings.from(HOME, name -> null),
                PlatformSecrets.of(Map.of())).services().stream()
                .collect(Collectors.toMap(ServiceSpec::name, ServiceSpec::port));
        for (var module : MODULES.entrySet()) {
            String name = module.getKey();
            int port = defaultServerPort(module.getValue());
            Map<String, Object> container = container(only("Deployment", name));
            Map<String, Integer> ports = ((List<Map<String, Object>>) container.get("ports")).stream()
                    .collect(Collectors.toMap(p -> (String) p.get("name"), p -> (Integer) p.get("containerPort")));

            assertThat(ports).as(name).containsEntry("http", port).containsEntry("management", port + 1000);
            assertThat(launcherPorts).as("launcher").containsEntry(name, port);
            assertThat(env(container)).as(name).containsEntry("MANAGEMENT_PORT", String.valueOf(port + 1000))
                    .containsEntry("SERVER_ADDRESS", "0.0.0.0");
            for (String probe : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
                Map<String, Object> get = map(map(container, probe), "httpGet");
                assertThat(get.get("port")).as(name + " " + probe).isEqualTo("management");
                assertThat((String) get.get("path")).startsWith("/actuator/health/");
            }
            Map<String, Object> requests = map(map(container, "resources"), "requests");
            assertThat(requests).as(name).containsKeys("cpu", "memory");
            assertThat((String) container.get("image")).isEqualTo("genai-platform/" + name + ":0.1.0");
        }
    }

    @Test
    void servicesSelectTheirPodsAndExposeOnlyPortsTheContainersHave() {
        for (Map<String, Object> service : all("Service")) {
            String name = name(service);
            Map<String, Object> workload = k8s.stream()
                    .filter(o -> Set.of("Deployment", "StatefulSet").contains(o.get("kind")) && name(o).equals(name))
                    .findFirst().orElseThrow(() -> new AssertionError("Service " + name + " selects no workload"));
            Map<String, Object> podLabels = map(map(map(map(workload, "spec"), "template"), "metadata"), "labels");
            assertThat(podLabels).as(name).containsAllEntriesOf(map(map(service, "spec"), "selector"));
            Set<Object> containerPorts = ((List<Map<String, Object>>) container(workload).get("ports")).stream()
                    .map(p -> p.get("name")).collect(Collectors.toSet());
            for (Map<String, Object> port : (List<Map<String, Object>>) map(service, "spec").get("ports")) {
                assertThat(containerPorts).as(name).contains(port.get("targetPort"));
            }
        }
    }

    @Test
    void everyScaledServiceHasAnAutoscalerAndADisruptionBudget() {
        for (String name : MODULES.keySet()) {
            Map<String, Object> deployment = only("Deployment", name);
            Map<String, Object> hpa = map(only("HorizontalPodAutoscaler", name), "spec");
            Map<String, Object> pdb = map(only("PodDisruptionBudget", name), "spec");

            assertThat((Integer) map(deployment, "spec").get("replicas")).as(name).isGreaterThanOrEqualTo(2);
            assertThat(map(hpa, "scaleTargetRef")).containsEntry("kind", "Deployment").containsEntry("name", name);
            assertThat((Integer) hpa.get("minReplicas")).isEqualTo(map(deployment, "spec").get("replicas"));
            assertThat((Integer) hpa.get("maxReplicas")).isGreaterThan((Integer) hpa.get("minReplicas"));
            assertThat((Integer) pdb.get("minAvailable")).isLessThan((Integer) hpa.get("minReplicas"));
            Map<String, Object> selector = map(map(map(deployment, "spec"), "selector"), "matchLabels");
            assertThat(map(map(map(deployment, "spec"), "template"), "metadata").get("labels"))
                    .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP).containsAllEntriesOf(selector);
            assertThat(map(map(pdb, "selector"), "matchLabels")).isEqualTo(map(map(map(deployment, "spec"), "selector"), "matchLabels"));
        }
    }

    @Test
    void everyUrlSecretAndDatabaseAKubernetesContainerNamesExists() throws IOException {
        String secretScript = Files.readString(K8S.resolve("create-secrets.sh"));
        String postgresInit = (String) map(only("ConfigMap", "postgres-init"), "data").get("10-databases.sh");
        for (Map<String, Object> workload : k8s.stream()
                .filter(o -> Set.of("Deployment", "StatefulSet").contains(o.get("kind"))).toList()) {
            for (Map<String, Object> variable : (List<Map<String, Object>>) container(workload).getOrDefault("env", List.of())) {
                String where = name(workload) + " " + variable.get("name");
                if (variable.get("value") instanceof String value) {
                    checkUrl(where, value, k8sServicePorts());
                    Matcher jdbc = JDBC.matcher(value);
                    if (jdbc.matches()) {
                        assertThat(rolesIn(postgresInit)).as(where).contains(jdbc.group(1));
                    }
                } else {
                    Map<String, Object> ref = map(map(variable, "valueFrom"), "secretKeyRef");
                    assertThat(secretScript).as(where).contains("create secret generic " + ref.get("name") + " ",
                            (String) ref.get("key"));
                }
            }
        }
    }

    @Test
    void theComposeFileReferencesOnlyWhatExists() throws IOException {
        Map<String, Object> compose;
        try (Reader in = Files.newBufferedReader(DOCKER.resolve("compose.yaml"))) {
            compose = new Yaml().load(in);
        }
        Map<String, Object> services = map(compose, "services");
        String secretsScript = Files.readString(DOCKER.resolve("init-secrets.sh"));
        String databases = Files.readString(DOCKER.resolve("init-databases.sh"));
        Map<String, Set<Integer>> ports = new HashMap<>();
        MODULES.forEach((name, module) -> {
            int port = defaultServerPort(module);
            ports.put(name, Set.of(port, port + 1000));
        });
        ports.putAll(Map.of("kafka", Set.of(9092), "redis", Set.of(6379), "postgres", Set.of(5432),
                "otel-collector", Set.of(4317, 4318), "jaeger", Set.of(4317, 16686)));

        for (var entry : services.entrySet()) {
            String name = entry.getKey();
            Map<String, Object> service = (Map<String, Object>) entry.getValue();
            Object dependsOn = service.get("depends_on");
            if (dependsOn instanceof Map<?, ?> deps) {
                assertThat(services).as(name + " depends_on").containsKeys(deps.keySet().toArray(String[]::new));
            }
            if (service.get("build") instanceof Map<?, ?> build && build.get("args") instanceof Map<?, ?> args) {
                assertThat(HOME.resolve((String) args.get("MODULE")).resolve("pom.xml")).as(name).exists();
                assertThat(args.get("MODULE")).isEqualTo(MODULES.get(name));
            }
            Map<String, Object> env = service.get("environment") instanceof Map<?, ?> e ? (Map<String, Object>) e : Map.of();
            if (MODULES.containsKey(name)) {
                assertThat(env.get("MANAGEMENT_PORT")).as(name)
                        .isEqualTo(defaultServerPort(MODULES.get(name)) + 1000);
            }
            for (var variable : env.entrySet()) {
                String value = String.valueOf(variable.getValue());
                checkUrl(name + " " + variable.getKey(), value.replaceAll("^\\$\\{[A-Z_]+:-(.*)}$", "$1"), ports);
                Matcher jdbc = JDBC.matcher(value);
                if (jdbc.matches()) {
                    assertThat(rolesIn(databases)).as(name).contains(jdbc.group(1));
                    assertThat(env.get("SPRING_DATASOURCE_USERNAME")).isEqualTo(jdbc.group(1));
                }
                if (variable.getKey().equals("SPRING_CONFIG_IMPORT")) {
                    assertThat(value).isEqualTo("optional:configtree:/secrets/services/" + name + "/");
                    assertThat(secretsScript).as(name).contains(name);
                }
            }
            for (Object volume : (List<Object>) service.getOrDefault("volumes", List.of())) {
                String source = String.valueOf(volume).split(":")[0];
                if (source.startsWith("./")) {
                    assertThat(DOCKER.resolve(source)).as(name).exists();
                } else if (!source.startsWith("../")) {
                    assertThat(map(compose, "volumes")).as(name).containsKey(source);
                }
            }
        }
    }

    /** The roles (and databases) a database init script creates: its {@code for role in ...; do} list. */
    private static List<String> rolesIn(String script) {
        Matcher roles = Pattern.compile("for role in ([a-z_ ]+);").matcher(script);
        assertThat(roles.find()).as("the init script's role list").isTrue();
        return List.of(roles.group(1).trim().split(" +"));
    }

    /**
     * What the launcher gives a service, compose and Kubernetes give it too (so a variable added to
     * {@link ServiceEnvironment} for a service cannot be forgotten in the deployments). Exceptions: the
     * launcher-only wiring (its own port variables, the docs folder, the demo key in Kubernetes), and
     * secrets, which compose delivers as config-tree files named after the property or the variable.
     */
    @Test
    void composeAndKubernetesGiveEachServiceWhatTheLauncherGivesIt() throws IOException {
        Map<String, Object> composeServices;
        try (Reader in = Files.newBufferedReader(DOCKER.resolve("compose.yaml"))) {
            composeServices = map(new Yaml().load(in), "services");
        }
        String secretsScript = Files.readString(DOCKER.resolve("init-secrets.sh"));
        Map<String, String> secretFiles = Map.of("SPRING_DATASOURCE_PASSWORD", "spring.datasource.password",
                "SPRING_DATA_REDIS_PASSWORD", "spring.data.redis.password",
                "SPRING_KAFKA_PROPERTIES_SASL_JAAS_CONFIG", "spring.kafka.properties.sasl.jaas.config",
                "PLATFORM_ADMIN_API_KEY", "PLATFORM_ADMIN_API_KEY",
                "PLATFORM_EVALUATION_API_KEY", "PLATFORM_EVALUATION_API_KEY",
                "GATEWAY_SIGNING_KEY_SECRET", "GATEWAY_SIGNING_KEY_SECRET");
        Set<String> launcherOnly = Set.of("POSTGRES_PORT", "RETRIEVAL_DOCUMENTS", "GATEWAY_PORT", "ORCHESTRATOR_PORT",
                "RETRIEVAL_PORT", "TOOLS_AGENT_PORT", "GUARDRAILS_PORT", "EVALUATION_PORT", "LLM_SIMULATOR_PORT");
        for (ServiceSpec spec : new ServiceEnvironment(LauncherSettings.from(HOME, name -> null),
                PlatformSecrets.of(Map.of())).services()) {
            Set<String> k8sEnv = ((List<Map<String, Object>>) container(only("Deployment", spec.name())).get("env"))
                    .stream().map(v -> (String) v.get("name")).collect(Collectors.toSet());
            Map<String, Object> composeEnv = map((Map<String, Object>) composeServices.get(spec.name()), "environment");
            for (String variable : spec.env().keySet()) {
                if (launcherOnly.contains(variable)) {
                    continue;
                }
                if (!variable.equals("PLATFORM_DEMO_API_KEY")) {
                    assertThat(k8sEnv).as("Kubernetes " + spec.name()).contains(variable);
                }
                if (secretFiles.containsKey(variable)) {
                    assertThat(composeEnv.get("SPRING_CONFIG_IMPORT")).as("compose " + spec.name() + " " + variable)
                            .isNotNull();
                    assertThat(secretsScript).as("init-secrets.sh writes " + secretFiles.get(variable))
                            .contains("/" + secretFiles.get(variable) + "\"");
                } else {
                    assertThat(composeEnv).as("compose " + spec.name()).containsKey(variable);
                }
            }
        }
    }

    private static void checkUrl(String where, String value, Map<String, Set<Integer>> ports) {
        Matcher url = URL.matcher(value);
        if (url.matches()) {
            assertThat(ports).as(where + " = " + value).containsKey(url.group(1));
            assertThat(ports.get(url.group(1))).as(where + " = " + value).contains(Integer.parseInt(url.group(2)));
        }
    }

    private static Map<String, Set<Integer>> k8sServicePorts() {
        Map<String, Set<Integer>> ports = new HashMap<>();
        for (Map<String, Object> service : all("Service")) {
            ports.put(name(service), ((List<Map<String, Object>>) map(service, "spec").get("ports")).stream()
                    .map(p -> (Integer) p.get("port")).collect(Collectors.toSet()));
        }
        return ports;
    }

    /** The default of {@code server.port} in a module's application.yml, e.g. 8080 from ${GATEWAY_PORT:8080}. */
    private static int defaultServerPort(String module) {
        try {
            String yml = Files.readString(HOME.resolve(module).resolve("src/main/resources/application.yml"));
            Matcher m = Pattern.compile("(?m)^server:\\s*\\n(?:\\s+.*\\n)*?\\s+port:\\s*\\$\\{[A-Z_]+:(\\d+)}").matcher(yml);
            assertThat(m.find()).as(module + " server.port").isTrue();
            return Integer.parseInt(m.group(1));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static Map<String, String> env(Map<String, Object> container) {
        Map<String, String> env = new HashMap<>();
        for (Map<String, Object> v : (List<Map<String, Object>>) container.get("env")) {
            if (v.get("value") != null) {
                env.put((String) v.get("name"), (String) v.get("value"));
            }
        }
        return env;
    }

    private static Map<String, Object> container(Map<String, Object> workload) {
        return ((List<Map<String, Object>>) map(map(map(workload, "spec"), "template"), "spec").get("containers")).getFirst();
    }

    private static List<Map<String, Object>> all(String kind) {
        return k8s.stream().filter(o -> kind.equals(o.get("kind"))).toList();
    }

    private static Map<String, Object> only(String kind, String name) {
        List<Map<String, Object>> found = all(kind).stream().filter(o -> name == null || name.equals(name(o))).toList();
        assertThat(found).as(kind + " " + name).hasSize(1);
        return found.getFirst();
    }

    private static String name(Map<String, Object> object) {
        return (String) map(object, "metadata").get("name");
    }

    private static Map<String, Object> map(Map<String, Object> parent, String key) {
        Object value = parent.get(key);
        assertThat(value).as(key).isInstanceOf(Map.class);
        return (Map<String, Object>) value;
    }
}
