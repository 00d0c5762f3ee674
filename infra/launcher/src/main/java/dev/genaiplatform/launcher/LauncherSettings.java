package dev.genaiplatform.launcher;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Ports and paths for one run of the platform. Every value can be changed with an environment variable
 * of the same name, so two platforms (a demo and a test run) can live side by side.
 *
 * @param home              the repository root: the jars are found under it, and docs/ is the sample corpus
 * @param kafkaPort         KAFKA_PORT: the broker's client port
 * @param kafkaControllerPort KAFKA_CONTROLLER_PORT: the KRaft controller's port
 * @param redisPort         REDIS_PORT
 * @param gatewayPort       GATEWAY_PORT: the only port a client needs
 * @param orchestratorPort  ORCHESTRATOR_PORT
 * @param retrievalPort     RETRIEVAL_PORT
 * @param toolsAgentPort    TOOLS_AGENT_PORT
 * @param guardrailsPort    GUARDRAILS_PORT
 * @param evaluationPort    EVALUATION_PORT
 * @param simulatorPort     LLM_SIMULATOR_PORT
 * @param demoApiKey        PLATFORM_DEMO_API_KEY: the demo tenant's key
 * @param serviceEnv        extra environment for every service (e.g. simulator delays)
 * @param serviceArgs       extra command-line arguments per service name
 */
record LauncherSettings(Path home, int kafkaPort, int kafkaControllerPort, int redisPort, int gatewayPort,
                        int orchestratorPort, int retrievalPort, int toolsAgentPort, int guardrailsPort,
                        int evaluationPort, int simulatorPort, String demoApiKey, Map<String, String> serviceEnv,
                        Map<String, List<String>> serviceArgs) {

    static LauncherSettings fromEnvironment(Path home) {
        return from(home, System::getenv);
    }

    static LauncherSettings from(Path home, Function<String, String> env) {
        return new LauncherSettings(home,
                intOf(env, "KAFKA_PORT", 9092), intOf(env, "KAFKA_CONTROLLER_PORT", 9093),
                intOf(env, "REDIS_PORT", 6379), intOf(env, "GATEWAY_PORT", 8080),
                intOf(env, "ORCHESTRATOR_PORT", 8081), intOf(env, "RETRIEVAL_PORT", 8082),
                intOf(env, "TOOLS_AGENT_PORT", 8083), intOf(env, "GUARDRAILS_PORT", 8084),
                intOf(env, "EVALUATION_PORT", 8085), intOf(env, "LLM_SIMULATOR_PORT", 8090),
                valueOf(env, "PLATFORM_DEMO_API_KEY", "demo-local-key"), Map.of(), Map.of());
    }

    LauncherSettings withServiceEnv(Map<String, String> extraEnv) {
        return new LauncherSettings(home, kafkaPort, kafkaControllerPort, redisPort, gatewayPort, orchestratorPort,
                retrievalPort, toolsAgentPort, guardrailsPort, evaluationPort, simulatorPort, demoApiKey, extraEnv,
                serviceArgs);
    }

    LauncherSettings withServiceArgs(Map<String, List<String>> args) {
        return new LauncherSettings(home, kafkaPort, kafkaControllerPort, redisPort, gatewayPort, orchestratorPort,
                retrievalPort, toolsAgentPort, guardrailsPort, evaluationPort, simulatorPort, demoApiKey, serviceEnv,
                args);
    }

    String bootstrapServers() {
        return "127.0.0.1:" + kafkaPort;
    }

    Path stateDir() {
        return home.resolve(".platform");
    }

    /**
     * The services in start order. Retrieval goes first because it takes longest (it embeds the corpus);
     * the gateway goes last, so once it is ready the whole platform is.
     */
    List<ServiceSpec> services() {
        String docs = "file:" + home.resolve("docs").toAbsolutePath().normalize() + "/**/*.md";
        List<ServiceSpec> services = new ArrayList<>();
        // Lucene's vector search uses the JDK's SIMD Vector API when the incubator module is readable
        services.add(spec("retrieval", "retrieval", retrievalPort, "512m",
                List.of("--add-modules=jdk.incubator.vector"), Map.of(
                "RETRIEVAL_PORT", str(retrievalPort),
                "RETRIEVAL_DOCUMENTS", docs)));
        services.add(spec("llm-simulator", "infra/llm-simulator", simulatorPort, "256m", List.of(), Map.of(
                "LLM_SIMULATOR_PORT", str(simulatorPort))));
        services.add(spec("guardrails", "guardrails", guardrailsPort, "256m", List.of(), Map.of(
                "GUARDRAILS_PORT", str(guardrailsPort))));
        services.add(spec("tools-agent", "tools-agent", toolsAgentPort, "256m", List.of(), Map.of(
                "TOOLS_AGENT_PORT", str(toolsAgentPort))));
        services.add(spec("evaluation", "evaluation", evaluationPort, "256m", List.of(), Map.of(
                "EVALUATION_PORT", str(evaluationPort))));
        services.add(spec("orchestrator", "orchestrator", orchestratorPort, "384m", List.of(), Map.of(
                "ORCHESTRATOR_PORT", str(orchestratorPort),
                "LLM_BASE_URL", "http://127.0.0.1:" + simulatorPort + "/v1")));
        services.add(spec("gateway", "gateway", gatewayPort, "256m", List.of(), Map.of(
                "GATEWAY_PORT", str(gatewayPort),
                "ORCHESTRATOR_URL", "http://127.0.0.1:" + orchestratorPort,
                "EVALUATION_URL", "http://127.0.0.1:" + evaluationPort,
                "RETRIEVAL_URL", "http://127.0.0.1:" + retrievalPort,
                "TOOLS_AGENT_URL", "http://127.0.0.1:" + toolsAgentPort,
                "REDIS_HOST", "127.0.0.1",
                "REDIS_PORT", str(redisPort),
                "PLATFORM_DEMO_API_KEY", demoApiKey)));
        return services;
    }

    private ServiceSpec spec(String name, String moduleDir, int port, String heap, List<String> jvmArgs,
                             Map<String, String> own) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", bootstrapServers());
        env.putAll(serviceEnv);
        env.putAll(own);
        return new ServiceSpec(name, moduleDir, port, heap, jvmArgs, env, serviceArgs.getOrDefault(name, List.of()));
    }

    /** Walks up from the working directory to the repository root (the folder holding infra/launcher). */
    static Path findHome(Path start) {
        for (Path dir = start.toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("infra/launcher")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return dir;
            }
        }
        throw new IllegalStateException("Run the launcher from inside the platform's repository (no infra/launcher above "
                + start.toAbsolutePath() + "), or set PLATFORM_HOME.");
    }

    private static int intOf(Function<String, String> env, String name, int fallback) {
        String value = env.apply(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a port number, not '" + value + "'");
        }
    }

    private static String valueOf(Function<String, String> env, String name, String fallback) {
        String value = env.apply(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    private static String str(int value) {
        return Integer.toString(value);
    }
}
