package dev.genaiplatform.launcher;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Ports and paths for one run of the platform. Every value can be changed with an environment variable
 * of the same name, so two platforms (a demo and a test run) can live side by side. What each service
 * receives is in {@link ServiceEnvironment}.
 *
 * @param home                the repository root: the jars are found under it, and docs/ is the sample corpus
 * @param dataDir             PLATFORM_DATA_DIR: everything that survives a restart (Kafka's log, PostgreSQL,
 *                            Redis's append-only file, the search index, the generated secrets);
 *                            default {@code .platform/data}
 * @param kafkaPort           KAFKA_PORT: the broker's client port
 * @param kafkaControllerPort KAFKA_CONTROLLER_PORT: the KRaft controller's port
 * @param redisPort           REDIS_PORT
 * @param postgresPort        POSTGRES_PORT
 * @param gatewayPort         GATEWAY_PORT: the only port a client needs
 * @param orchestratorPort    ORCHESTRATOR_PORT
 * @param retrievalPort       RETRIEVAL_PORT
 * @param toolsAgentPort      TOOLS_AGENT_PORT
 * @param guardrailsPort      GUARDRAILS_PORT
 * @param evaluationPort      EVALUATION_PORT
 * @param simulatorPort       LLM_SIMULATOR_PORT
 * @param managementPortOffset MANAGEMENT_PORT_OFFSET: each service's actuator port is its port plus this
 * @param bindAddress         PLATFORM_BIND_ADDRESS: the interface services listen on (loopback; 0.0.0.0
 *                            only where something outside this machine must reach them)
 * @param managementAddress   PLATFORM_MANAGEMENT_ADDRESS: the interface of the actuator ports
 * @param tracingSamplingProbability TRACING_SAMPLING_PROBABILITY: share of requests whose spans are
 *                            recorded (trace context always propagates)
 * @param aheadOfTimeCache    PLATFORM_AOT_CACHE: on JDK 25+, start each service from an ahead-of-time cache
 *                            (JEP 514/515) built by its previous run; false: class-data sharing as on JDK 21
 * @param demoApiKey          PLATFORM_DEMO_API_KEY: the demo tenant's key
 * @param serviceEnv          extra environment for every service (e.g. simulator delays)
 * @param serviceArgs         extra command-line arguments per service name
 * @param lean                PLATFORM_LEAN: the memory and idle-CPU settings of {@link ServiceEnvironment} (small
 *                            initial heaps, compact object headers, two malloc arenas, the simple compiler for light
 *                            services, idle consumers polling less often); false: the JDK's and clients' defaults,
 *                            to compare
 * @param startParallelism    PLATFORM_START_PARALLELISM: how many services start at once (default
 *                            {@value #DEFAULT_START_PARALLELISM}; measured in the README, "Start and memory")
 * @param aotTrainingRequests PLATFORM_AOT_TRAINING_REQUESTS: how many requests a start that trains ahead-of-time
 *                            caches sends through the gateway once it is up, so the caches learn the request path
 *                            ({@link CacheTraining}; default {@value #DEFAULT_AOT_TRAINING_REQUESTS}: none; 4000 is
 *                            what the README's warm-up curve measured, for a platform about to be load-tested)
 */
record LauncherSettings(Path home, Path dataDir, int kafkaPort, int kafkaControllerPort, int redisPort, int postgresPort,
                        int gatewayPort, int orchestratorPort, int retrievalPort, int toolsAgentPort,
                        int guardrailsPort, int evaluationPort, int simulatorPort, int managementPortOffset,
                        String bindAddress, String managementAddress, String tracingSamplingProbability,
                        boolean aheadOfTimeCache, String demoApiKey, Map<String, String> serviceEnv, Map<String, List<String>> serviceArgs,
                        boolean lean, int startParallelism, int aotTrainingRequests) {

    static final int DEFAULT_START_PARALLELISM = 2;
    /**
     * None by default: the training requests are real requests of the demo tenant (its rate limit, token budget,
     * spend, evaluation records and traces), and their gain was shown in one of two curves (README, "Wave 14: the
     * warm-up curve"). Asked for before a load test, 4,000 get the request path to C2 in training.
     */
    static final int DEFAULT_AOT_TRAINING_REQUESTS = 0;

    LauncherSettings {
        if (startParallelism < 1) {
            throw new IllegalArgumentException("PLATFORM_START_PARALLELISM must be at least 1, not " + startParallelism);
        }
        if (aotTrainingRequests < 0) {
            throw new IllegalArgumentException("PLATFORM_AOT_TRAINING_REQUESTS must be 0 or more, not " + aotTrainingRequests);
        }
    }

    static LauncherSettings fromEnvironment(Path home) {
        return from(home, System::getenv);
    }

    static LauncherSettings from(Path home, Function<String, String> env) {
        String dataDir = valueOf(env, "PLATFORM_DATA_DIR", null);
        return new LauncherSettings(home,
                dataDir != null ? Path.of(dataDir) : home.resolve(".platform").resolve("data"),
                intOf(env, "KAFKA_PORT", 9092), intOf(env, "KAFKA_CONTROLLER_PORT", 9093),
                intOf(env, "REDIS_PORT", 6379), intOf(env, "POSTGRES_PORT", 5432),
                intOf(env, "GATEWAY_PORT", 8080),
                intOf(env, "ORCHESTRATOR_PORT", 8081), intOf(env, "RETRIEVAL_PORT", 8082),
                intOf(env, "TOOLS_AGENT_PORT", 8083), intOf(env, "GUARDRAILS_PORT", 8084),
                intOf(env, "EVALUATION_PORT", 8085), intOf(env, "LLM_SIMULATOR_PORT", 8090),
                intOf(env, "MANAGEMENT_PORT_OFFSET", 1000),
                valueOf(env, "PLATFORM_BIND_ADDRESS", "127.0.0.1"),
                valueOf(env, "PLATFORM_MANAGEMENT_ADDRESS", "127.0.0.1"),
                probabilityOf(env, "TRACING_SAMPLING_PROBABILITY", "0.1"),
                !"false".equalsIgnoreCase(valueOf(env, "PLATFORM_AOT_CACHE", "true")),
                valueOf(env, "PLATFORM_DEMO_API_KEY", "demo-local-key"), Map.of(), Map.of(),
                !"false".equalsIgnoreCase(valueOf(env, "PLATFORM_LEAN", "true")),
                intOf(env, "PLATFORM_START_PARALLELISM", DEFAULT_START_PARALLELISM),
                intOf(env, "PLATFORM_AOT_TRAINING_REQUESTS", DEFAULT_AOT_TRAINING_REQUESTS));
    }

    LauncherSettings withServiceEnv(Map<String, String> extraEnv) {
        return new LauncherSettings(home, dataDir, kafkaPort, kafkaControllerPort, redisPort, postgresPort, gatewayPort,
                orchestratorPort, retrievalPort, toolsAgentPort, guardrailsPort, evaluationPort, simulatorPort,
                managementPortOffset, bindAddress, managementAddress, tracingSamplingProbability, aheadOfTimeCache, demoApiKey,
                extraEnv,
                serviceArgs, lean, startParallelism, aotTrainingRequests);
    }

    LauncherSettings withServiceArgs(Map<String, List<String>> args) {
        return new LauncherSettings(home, dataDir, kafkaPort, kafkaControllerPort, redisPort, postgresPort, gatewayPort,
                orchestratorPort, retrievalPort, toolsAgentPort, guardrailsPort, evaluationPort, simulatorPort,
                managementPortOffset, bindAddress, managementAddress, tracingSamplingProbability, aheadOfTimeCache, demoApiKey,
                serviceEnv,
                args, lean, startParallelism, aotTrainingRequests);
    }

    /**
     * The same platform seen from a second region ({@link SecondRegion}): its own gateway, orchestrator and Redis
     * ports; everything else (the broker, PostgreSQL, the shared services, the data directory) unchanged.
     */
    LauncherSettings withRegionPorts(int regionGatewayPort, int regionOrchestratorPort, int regionRedisPort) {
        return new LauncherSettings(home, dataDir, kafkaPort, kafkaControllerPort, regionRedisPort, postgresPort,
                regionGatewayPort, regionOrchestratorPort, retrievalPort, toolsAgentPort, guardrailsPort, evaluationPort,
                simulatorPort, managementPortOffset, bindAddress, managementAddress, tracingSamplingProbability,
                aheadOfTimeCache, demoApiKey, serviceEnv, serviceArgs, lean, startParallelism, aotTrainingRequests);
    }

    String bootstrapServers() {
        return "127.0.0.1:" + kafkaPort;
    }

    /** Logs and class-data-sharing archives: things that can be thrown away at any time. */
    Path stateDir() {
        return home.resolve(".platform");
    }

    Path kafkaDir() {
        return dataDir.resolve("kafka");
    }

    Path postgresDir() {
        return dataDir.resolve("postgres");
    }

    Path redisDir() {
        return dataDir.resolve("redis");
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
            throw new IllegalArgumentException(name + " must be a whole number, not '" + value + "'");
        }
    }

    private static String probabilityOf(Function<String, String> env, String name, String fallback) {
        String value = valueOf(env, name, fallback).trim();
        try {
            double p = Double.parseDouble(value);
            if (p >= 0 && p <= 1) {
                return value;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException(name + " must be a number from 0 to 1, not '" + value + "'");
    }

    private static String valueOf(Function<String, String> env, String name, String fallback) {
        String value = env.apply(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
