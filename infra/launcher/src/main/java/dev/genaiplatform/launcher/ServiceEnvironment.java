package dev.genaiplatform.launcher;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What every service receives from the launcher, in one place: read the {@link #services} table top to
 * bottom to see how the platform is wired. Each row names the service, its module, port and heap, then
 * the shared infrastructure it uses ({@code kafka}, {@code redis}, {@code database}) and its own variables.
 *
 * <p>The shared blocks, as environment variables the services' {@code application.yml} (or Spring Boot's
 * relaxed binding) read:
 * <ul>
 *   <li>every service: {@code SERVER_ADDRESS}, {@code MANAGEMENT_PORT} (port + 1000),
 *       {@code MANAGEMENT_ADDRESS}, {@code MANAGEMENT_TRACING_SAMPLING_PROBABILITY};</li>
 *   <li>platform services (all but the simulator): {@code PLATFORM_JWKS_URI};</li>
 *   <li>{@code kafka}: bootstrap servers, and SASL/PLAIN with the service's own user as
 *       {@code SPRING_KAFKA_SECURITY_PROTOCOL}, {@code SPRING_KAFKA_PROPERTIES_SASL_MECHANISM},
 *       {@code SPRING_KAFKA_PROPERTIES_SASL_JAAS_CONFIG} (Spring Boot binds the last two into
 *       {@code spring.kafka.properties}, which every producer, consumer and admin client receives);</li>
 *   <li>{@code redis}: host, port and {@code SPRING_DATA_REDIS_PASSWORD};</li>
 *   <li>{@code database(name)}: {@code SPRING_DATASOURCE_URL/USERNAME/PASSWORD} for the service's own
 *       database and role.</li>
 * </ul>
 * Then the variables of {@link LauncherSettings#serviceEnv()} (a test's or user's extras), then the row's own.
 */
final class ServiceEnvironment {

    /**
     * JVM options of every service when {@link LauncherSettings#lean()} (JDK 25+; measured in the README, "Start and
     * memory"). With {@code -Xmx} alone the serial collector commits the whole maximum at start (the JDK's initial
     * heap is 1/64 of the machine's memory, more than any -Xmx here), a third of it young generation that every
     * allocation cycle touches: a small initial heap and tight free ratios keep the committed heap close to the live
     * data instead. Compact object headers (JEP 519, a product option since JDK 25): 8-byte headers, less heap for
     * the same objects. Native memory the JVM frees (compiler arenas, inflaters) goes back to the OS every 10 s.
     */
    static final List<String> LEAN_JVM_OPTIONS = List.of("-Xms32m", "-XX:MinHeapFreeRatio=10",
            "-XX:MaxHeapFreeRatio=30", "-XX:+UseCompactObjectHeaders", "-XX:TrimNativeHeapInterval=10000");
    /**
     * For services off the hot path of a chat request (the simulator stands in for a provider; tools-agent serves
     * agent runs): only the quick C1 compiler, so no C2 compiler thread competes for two cores at start and no C2
     * arenas stay resident. Their steady-state code is slower; measured in the README.
     */
    static final String QUICK_COMPILER_ONLY = "-XX:TieredStopAtLevel=1";
    /**
     * How long the broker may hold a consumer's fetch when nothing is there (Kafka's default 500 ms). A record that
     * arrives completes the waiting fetch at once, so latency does not change; an idle consumer asks 4 times less
     * often, and the platform has dozens of them.
     */
    static final String IDLE_FETCH_WAIT_MS = "2000";
    /**
     * How often a service whose listeners may safely see a record twice commits its consumer offsets (lean): Spring
     * Kafka's default (ack-mode batch) commits after every poll that returned records, which at request rates is one
     * OffsetCommit request (a write to {@code __consumer_offsets}) per record. Measured in the README ("Wave 7: the
     * broker's cost per request"). Guardrails sets the same in its own application.yml, retrieval for its search
     * listener in code (every 5 s; its ingestion listener keeps a commit per poll on purpose).
     */
    static final String COMMIT_INTERVAL = "1s";
    /** Database connections a service keeps open when idle (lean); HikariCP's default keeps its whole pool open. */
    static final String IDLE_DATABASE_CONNECTIONS = "1";

    private final LauncherSettings settings;
    private final PlatformSecrets secrets;

    ServiceEnvironment(LauncherSettings settings, PlatformSecrets secrets) {
        this.settings = settings;
        this.secrets = secrets;
    }

    /**
     * The services in start order. Retrieval goes first because it takes longest (it embeds the corpus);
     * the gateway goes last, so once it is ready the whole platform is.
     */
    List<ServiceSpec> services() {
        LauncherSettings s = settings;
        String docs = "file:" + s.home().resolve("docs").toAbsolutePath().normalize() + "/**/*.md";
        List<ServiceSpec> services = new ArrayList<>();
        // Lucene's vector search uses the JDK's SIMD Vector API when the incubator module is readable
        services.add(service("retrieval", "retrieval", s.retrievalPort(), "512m")
                .jvm("--add-modules=jdk.incubator.vector").kafka().database("retrieval")
                .env("RETRIEVAL_PORT", s.retrievalPort())
                .env("RETRIEVAL_DOCUMENTS", docs)
                .env("RETRIEVAL_INDEX_DIR", s.dataDir().resolve("retrieval-index").toAbsolutePath().toString())
                .build());
        services.add(service("llm-simulator", "infra/llm-simulator", s.simulatorPort(), "256m").modelProvider().light()
                .env("LLM_SIMULATOR_PORT", s.simulatorPort())
                .build());
        // guardrails compiles large re2j patterns (names, places, id formats) recursively at start-up: the
        // launcher's 512k thread stacks overflowed there now and then, so it gets the JVM's usual size and more
        services.add(service("guardrails", "guardrails", s.guardrailsPort(), "256m").jvm("-Xss2m").kafka().redis()
                .env("GUARDRAILS_PORT", s.guardrailsPort())
                .build());
        services.add(service("tools-agent", "tools-agent", s.toolsAgentPort(), "256m").light().kafka()
                .database("tools_agent")
                .env("TOOLS_AGENT_PORT", s.toolsAgentPort())
                .build());
        // its event rows are inserted "on conflict (event_id) do nothing": an event read twice is stored once
        services.add(service("evaluation", "evaluation", s.evaluationPort(), "256m").kafka().database("evaluation")
                .commitsOnceASecond()
                .env("EVALUATION_PORT", s.evaluationPort())
                .env("PLATFORM_GATEWAY_URL", url(s.gatewayPort()))
                .env("PLATFORM_EVALUATION_API_KEY", secrets.get(PlatformSecrets.EVALUATION_API_KEY))
                .build());
        services.add(service("orchestrator", "orchestrator", s.orchestratorPort(), "384m").kafka().redis()
                .database("orchestrator")
                .env("ORCHESTRATOR_PORT", s.orchestratorPort())
                .env("LLM_BASE_URL", url(s.simulatorPort()) + "/v1")
                // agent runs list the tools over HTTP (the calls themselves go over Kafka)
                .env("TOOLS_AGENT_URL", url(s.toolsAgentPort()))
                // batches read their input file from retrieval's /v1/files over HTTP
                .env("RETRIEVAL_URL", url(s.retrievalPort()))
                .build());
        services.add(service("gateway", "gateway", s.gatewayPort(), "256m").kafka().redis().database("gateway")
                .env("GATEWAY_PORT", s.gatewayPort())
                .env("ORCHESTRATOR_URL", url(s.orchestratorPort()))
                .env("EVALUATION_URL", url(s.evaluationPort()))
                .env("RETRIEVAL_URL", url(s.retrievalPort()))
                .env("TOOLS_AGENT_URL", url(s.toolsAgentPort()))
                .env("GUARDRAILS_URL", url(s.guardrailsPort()))
                .env("PLATFORM_DEMO_API_KEY", s.demoApiKey())
                .env("PLATFORM_ADMIN_API_KEY", secrets.get(PlatformSecrets.ADMIN_API_KEY))
                .env("PLATFORM_EVALUATION_API_KEY", secrets.get(PlatformSecrets.EVALUATION_API_KEY))
                .env("GATEWAY_SIGNING_KEY_SECRET", secrets.get(PlatformSecrets.GATEWAY_SIGNING_KEY_SECRET))
                .build());
        return services;
    }

    /** The databases of {@link #services}, each with the role (same name) that owns it. */
    List<String> databases() {
        return services().stream().map(spec -> spec.env().get("SPRING_DATASOURCE_USERNAME"))
                .filter(name -> name != null).toList();
    }

    /** The Kafka users of {@link #services}: one per service that uses Kafka, plus the broker's own. */
    Map<String, String> kafkaUsers() {
        Map<String, String> users = new LinkedHashMap<>();
        users.put(KafkaBroker.BROKER_USER, secrets.kafkaPassword(KafkaBroker.BROKER_USER));
        services().stream().filter(spec -> spec.env().containsKey("SPRING_KAFKA_SECURITY_PROTOCOL"))
                .forEach(spec -> users.put(spec.name(), secrets.kafkaPassword(spec.name())));
        return users;
    }

    private Row service(String name, String moduleDir, int port, String heap) {
        return new Row(name, moduleDir, port, heap);
    }

    private static String url(int port) {
        return "http://127.0.0.1:" + port;
    }

    /** One row of the table: a service and what it is wired to. */
    private final class Row {

        private final String name;
        private final String moduleDir;
        private final int port;
        private final String heap;
        private final List<String> jvmArgs = new ArrayList<>();
        private final Map<String, String> infrastructure = new LinkedHashMap<>();
        private final Map<String, String> own = new LinkedHashMap<>();
        private boolean platformService = true;

        Row(String name, String moduleDir, int port, String heap) {
            this.name = name;
            this.moduleDir = moduleDir;
            this.port = port;
            this.heap = heap;
        }

        Row jvm(String arg) {
            jvmArgs.add(arg);
            return this;
        }

        /** Off the hot path of a chat request: when lean, only the quick compiler. */
        Row light() {
            if (settings.lean()) {
                jvmArgs.add(QUICK_COMPILER_ONLY);
            }
            return this;
        }

        /** Not a platform service but the default model provider: no internal tokens, no broker. */
        Row modelProvider() {
            platformService = false;
            return this;
        }

        Row kafka() {
            String jaas = KafkaBroker.plainLogin(name, secrets.kafkaPassword(name), Map.of());
            infrastructure.put("KAFKA_BOOTSTRAP_SERVERS", settings.bootstrapServers());
            infrastructure.put("SPRING_KAFKA_BOOTSTRAP_SERVERS", settings.bootstrapServers());
            infrastructure.put("SPRING_KAFKA_SECURITY_PROTOCOL", KafkaBroker.SECURITY_PROTOCOL);
            infrastructure.put("SPRING_KAFKA_PROPERTIES_SASL_MECHANISM", KafkaBroker.SASL_MECHANISM);
            infrastructure.put("SPRING_KAFKA_PROPERTIES_SASL_JAAS_CONFIG", jaas);
            // request/reply over loopback: send each record at once instead of waiting up to Kafka 4's 5 ms
            // default linger for a batch that, at these rates, never fills
            infrastructure.put("SPRING_KAFKA_PRODUCER_PROPERTIES_LINGER_MS", "0");
            if (settings.lean()) {
                infrastructure.put("SPRING_KAFKA_CONSUMER_PROPERTIES_FETCH_MAX_WAIT_MS", IDLE_FETCH_WAIT_MS);
            }
            return this;
        }

        /**
         * Offsets committed once a second instead of after every poll (lean). Only for services whose listeners may
         * see a record again after a crash: at most the last second's records are redelivered (a graceful stop or a
         * rebalance commits what was processed first); nothing is lost, as before.
         */
        Row commitsOnceASecond() {
            if (settings.lean()) {
                infrastructure.put("SPRING_KAFKA_LISTENER_ACK_MODE", "time");
                infrastructure.put("SPRING_KAFKA_LISTENER_ACK_TIME", COMMIT_INTERVAL);
            }
            return this;
        }

        Row redis() {
            infrastructure.put("REDIS_HOST", "127.0.0.1");
            infrastructure.put("REDIS_PORT", Integer.toString(settings.redisPort()));
            infrastructure.put("SPRING_DATA_REDIS_HOST", "127.0.0.1");
            infrastructure.put("SPRING_DATA_REDIS_PORT", Integer.toString(settings.redisPort()));
            infrastructure.put("SPRING_DATA_REDIS_PASSWORD", secrets.get(PlatformSecrets.REDIS_PASSWORD));
            return this;
        }

        /** The service's own database, owned by a role of the same name. */
        Row database(String database) {
            infrastructure.put("POSTGRES_PORT", Integer.toString(settings.postgresPort()));
            infrastructure.put("SPRING_DATASOURCE_URL",
                    "jdbc:postgresql://127.0.0.1:" + settings.postgresPort() + "/" + database);
            infrastructure.put("SPRING_DATASOURCE_USERNAME", database);
            infrastructure.put("SPRING_DATASOURCE_PASSWORD", secrets.postgresPassword(database));
            if (settings.lean()) {
                // HikariCP opens its whole pool at start by default (minimum-idle = maximum-pool-size, 10): 40-odd
                // PostgreSQL backends for an idle platform. One stays open; the rest open on demand (a loopback
                // connection takes milliseconds) and close after Hikari's idle timeout (10 min)
                infrastructure.put("SPRING_DATASOURCE_HIKARI_MINIMUMIDLE", IDLE_DATABASE_CONNECTIONS);
            }
            return this;
        }

        Row env(String key, Object value) {
            own.put(key, String.valueOf(value));
            return this;
        }

        ServiceSpec build() {
            int managementPort = port + settings.managementPortOffset();
            Map<String, String> env = new LinkedHashMap<>();
            env.put("SERVER_ADDRESS", settings.bindAddress());
            env.put("MANAGEMENT_PORT", Integer.toString(managementPort));
            env.put("MANAGEMENT_ADDRESS", settings.managementAddress());
            env.put("MANAGEMENT_TRACING_SAMPLING_PROBABILITY", settings.tracingSamplingProbability());
            if (platformService) {
                env.put("PLATFORM_JWKS_URI", url(settings.gatewayPort()) + "/.well-known/jwks.json");
            }
            List<String> options = new ArrayList<>();
            if (settings.lean()) {
                // glibc gives each thread that mallocs concurrently an arena of its own, up to 8 per core, and
                // returns little of them: two are plenty for a JVM whose heap is not malloc'd
                env.put("MALLOC_ARENA_MAX", "2");
                if (Runtime.version().feature() >= 25) {
                    options.addAll(LEAN_JVM_OPTIONS);
                }
            }
            options.addAll(jvmArgs);
            env.putAll(infrastructure);
            env.putAll(settings.serviceEnv());
            env.putAll(own);
            return new ServiceSpec(name, moduleDir, port, managementPort, heap, List.copyOf(options), env,
                    settings.serviceArgs().getOrDefault(name, List.of()));
        }
    }
}
