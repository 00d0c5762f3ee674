package dev.genaiplatform.launcher;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Region B of the simulated two-region platform (issue 13 item 8, docs/multi-region.md section 7), started beside a
 * running platform, which plays region A.
 *
 * <p>What is regional: the request path's front, a gateway and an orchestrator of its own, and a Redis of its own
 * (rate-limit buckets, budget windows, answer caches, conversation memory, idempotency keys). What is shared with
 * region A: the Kafka broker (the same topics and consumer groups: guardrails, retrieval, tools-agent and evaluation
 * are one set serving both regions), PostgreSQL (tenants, keys and the signing-key ring in the gateway's database,
 * agent runs and batches in the orchestrator's), and the model provider. Region B's processes log in with the same
 * Kafka users and database roles as region A's gateway and orchestrator: a user is a service's identity, not a
 * process's.
 */
final class SecondRegion implements AutoCloseable {

    /** The services each region runs for itself, in start order; everything else is shared. */
    static final List<String> REGIONAL_SERVICES = List.of("orchestrator", "gateway");
    /** Region B's process names are region A's with this suffix (their log files and start-up caches too). */
    static final String SUFFIX = "-b";
    /** The secret holding region B's Redis password (generated on first use, kept in secrets.properties). */
    static final String REDIS_PASSWORD = "redis.region-b.password";

    /**
     * Region B's own ports. Defaults: region A's gateway and orchestrator ports plus 100 (8180, 8181; management ports
     * follow with the same offset) and Redis one above region A's (6380).
     *
     * @param gateway      REGION_B_GATEWAY_PORT
     * @param orchestrator REGION_B_ORCHESTRATOR_PORT
     * @param redis        REGION_B_REDIS_PORT
     */
    record Ports(int gateway, int orchestrator, int redis) {

        static Ports fromEnvironment(LauncherSettings regionA, Function<String, String> env) {
            return new Ports(intOf(env, "REGION_B_GATEWAY_PORT", regionA.gatewayPort() + 100),
                    intOf(env, "REGION_B_ORCHESTRATOR_PORT", regionA.orchestratorPort() + 100),
                    intOf(env, "REGION_B_REDIS_PORT", regionA.redisPort() + 1));
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
    }

    private final Ports ports;
    private final List<ServiceProcess> services = Collections.synchronizedList(new ArrayList<>());
    private RedisProcess redis;

    private SecondRegion(Ports ports) {
        this.ports = ports;
    }

    /**
     * What region B runs: region A's gateway and orchestrator rows of {@link ServiceEnvironment}, computed for region
     * B's ports, so they reach region B's Redis, find each other, and verify tokens against region B's gateway;
     * their broker, database, shared services and credentials are region A's.
     */
    static List<ServiceSpec> specs(LauncherSettings regionA, PlatformSecrets secrets, Ports ports) {
        LauncherSettings regionB = regionA.withRegionPorts(ports.gateway(), ports.orchestrator(), ports.redis());
        List<ServiceSpec> specs = new ArrayList<>();
        for (ServiceSpec spec : new ServiceEnvironment(regionB, secrets).services()) {
            if (REGIONAL_SERVICES.contains(spec.name())) {
                var env = new LinkedHashMap<>(spec.env());
                // region B's own Redis, with a password of its own
                env.put("SPRING_DATA_REDIS_PASSWORD", secrets.get(REDIS_PASSWORD));
                // its answer cache is its own Redis: it must hear every document deletion, not share them with A
                env.put("CACHE_INVALIDATION_GROUP", "orchestrator-cache" + SUFFIX);
                specs.add(new ServiceSpec(spec.name() + SUFFIX, spec.moduleDir(), spec.port(), spec.managementPort(),
                        spec.maxHeap(), spec.jvmArgs(), Map.copyOf(env), spec.extraArgs()));
            }
        }
        specs.sort((x, y) -> Integer.compare(order(x), order(y)));
        return specs;
    }

    private static int order(ServiceSpec spec) {
        return REGIONAL_SERVICES.indexOf(spec.name().substring(0, spec.name().length() - SUFFIX.length()));
    }

    /** Starts region B's Redis, then its orchestrator and gateway side by side, and waits until both are ready. */
    static SecondRegion start(LauncherSettings regionA, PlatformSecrets secrets, Ports ports, Consumer<String> log)
            throws Exception {
        List<ServiceSpec> specs = specs(regionA, secrets, ports);
        List<Integer> wanted = new ArrayList<>(List.of(ports.redis()));
        specs.forEach(s -> {
            wanted.add(s.port());
            wanted.add(s.managementPort());
        });
        List<Integer> busy = wanted.stream().filter(port -> !Platform.isFree(port)).toList();
        if (!busy.isEmpty()) {
            throw new IllegalStateException("Region B's port(s) " + busy + " are in use: move them with "
                    + "REGION_B_GATEWAY_PORT, REGION_B_ORCHESTRATOR_PORT, REGION_B_REDIS_PORT");
        }
        SecondRegion region = new SecondRegion(ports);
        try {
            region.startAll(regionA, secrets, specs, log);
            return region;
        } catch (Exception | Error e) {
            region.close();
            throw e;
        }
    }

    private void startAll(LauncherSettings regionA, PlatformSecrets secrets, List<ServiceSpec> specs,
                          Consumer<String> log) throws Exception {
        Path redisDir = regionA.dataDir().resolve("region-b").resolve("redis");
        redis = new RedisProcess(ports.redis(), secrets.get(REDIS_PASSWORD), redisDir);
        redis.start();
        log.accept(String.format("  redis-b       ready at 127.0.0.1:%d (region B's own: limits, budgets, caches)",
                ports.redis()));
        // two JVMs at once: the cores are shared with region A, which is already warm
        ServiceProcess.startAll(specs, specs.size(), regionA, services, log);
    }

    Ports ports() {
        return ports;
    }

    URI gateway() {
        return URI.create("http://127.0.0.1:" + ports.gateway());
    }

    List<ServiceProcess> services() {
        return List.copyOf(services);
    }

    /** Kills one of region B's services with SIGKILL (its name with the suffix, e.g. {@code gateway-b}). */
    void kill(String name) throws InterruptedException {
        ServiceProcess service = services().stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("No running region B service " + name));
        service.kill();
        services.remove(service);
    }

    /** Stops the gateway first, then the orchestrator, then Redis. */
    @Override
    public void close() {
        List<ServiceProcess> running = new ArrayList<>(services);
        Collections.reverse(running);
        running.forEach(ServiceProcess::requestStop);
        running.forEach(ServiceProcess::close);
        services.clear();
        if (redis != null) {
            try {
                redis.close();
            } catch (IOException e) {
                System.err.println("  redis-b did not stop cleanly: " + e.getMessage());
            }
            redis = null;
        }
    }
}
