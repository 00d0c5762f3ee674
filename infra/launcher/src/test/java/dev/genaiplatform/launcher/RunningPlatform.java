package dev.genaiplatform.launcher;

import dev.genaiplatform.launcher.scenario.Scenarios;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * One platform for all end-to-end test classes: starting nine processes costs a minute on two cores, so
 * the first test class that asks starts it, later ones reuse it, and the JVM's exit stops it. It carries what every
 * class needs at once: the simulator's inspection endpoint, every span exported to a collector in this JVM (sampling
 * 1.0), the scorecard's fault models and tenant, the burst tenants. Only a test that kills processes starts its own
 * ({@link #freshSettings}).
 */
final class RunningPlatform {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    static final String DEMO_KEY = "e2e-demo-key";
    /** The scorecard's tenant: its own models (one per fault kind), so the demo tenant's model list stays short. */
    static final String SCORECARD_KEY = "e2e-scorecard-key";
    static final String BURST_KEY = "e2e-burst-key";
    /** The same tiny bucket for the browser tests, so their 429 never drains PlatformEndToEndIT's exact burst. */
    static final String UI_BURST_KEY = "e2e-ui-burst-key";

    private static LauncherSettings settings;
    private static Platform platform;
    private static JwksRelay jwksRelay;
    private static OtlpTraceReceiver collector;
    /** Why the one start failed: every later class fails at once instead of paying for another whole start. */
    private static Exception startFailure;

    static synchronized LauncherSettings get() throws Exception {
        if (startFailure != null) {
            throw new IllegalStateException("The shared platform failed to start for an earlier test class", startFailure);
        }
        if (settings == null) {
            try {
                settings = start();
            } catch (Exception e) {
                startFailure = e;
                throw e;
            }
        }
        return settings;
    }

    /** Starts the shared platform and stops it (and deletes its data directory) when the JVM exits. */
    private static LauncherSettings start() throws Exception {
        // every service exports its spans to a collector in this JVM (OneTraceAcrossEveryHopIT reads them)
        collector = new OtlpTraceReceiver();
        LauncherSettings fresh = freshSettings("platform-e2e-data-", DEMO_KEY, "1.0",
                simulatorPort -> Map.of("SIM_TIME_TO_FIRST_TOKEN_MS", "0", "SIM_INTER_TOKEN_MS", "0",
                        // the test reads what the model received; the launcher leaves this off by default
                        "SIM_INSPECTION_ENABLED", "true",
                        "OTEL_EXPORT_ENABLED", "true", "OTEL_EXPORTER_OTLP_ENDPOINT", collector.endpoint(),
                        "SPRING_APPLICATION_JSON", configuration(simulatorPort)),
                Map.of("gateway", List.of(
                        // a second tenant with a tiny bucket, so the rate limit shows without slowing other tests:
                        // 100 tokens a request from a bucket of 300 refilled at 1 token/s is a burst of exactly 3
                        "--platform.gateway.tenants.burst.keys.burst.api-key=" + BURST_KEY,
                        "--platform.gateway.tenants.burst.keys.burst.scopes[0]=chat",
                        "--platform.gateway.tenants.burst.models[0]=sim-small",
                        "--platform.gateway.tenants.burst.rate-limit.replenish-rate=1",
                        "--platform.gateway.tenants.burst.rate-limit.burst-capacity=300",
                        "--platform.gateway.tenants.burst.rate-limit.requested-tokens=100",
                        "--platform.gateway.tenants.uiburst.keys.uiburst.api-key=" + UI_BURST_KEY,
                        "--platform.gateway.tenants.uiburst.keys.uiburst.scopes[0]=chat",
                        "--platform.gateway.tenants.uiburst.models[0]=sim-small",
                        "--platform.gateway.tenants.uiburst.rate-limit.replenish-rate=1",
                        "--platform.gateway.tenants.uiburst.rate-limit.burst-capacity=300",
                        "--platform.gateway.tenants.uiburst.rate-limit.requested-tokens=100")));
        // every service verifies tokens through a relay in this JVM in front of the gateway, so RegionFailoverIT can add
        // region B's gateway to it and kill region A's (the relay passes each request on unchanged, uncached)
        jwksRelay = JwksRelay.start(0, List.of(URI.create("http://127.0.0.1:" + fresh.gatewayPort())));
        Map<String, String> env = new HashMap<>(fresh.serviceEnv());
        env.put("PLATFORM_JWKS_URI", jwksRelay.uri().toString());
        LauncherSettings wanted = fresh.withServiceEnv(env);
        try {
            platform = Platform.start(wanted, line -> System.out.println("[e2e] " + line));
        } catch (Exception e) {
            collector.close();
            jwksRelay.close();
            Infrastructure.wipe(wanted);
            throw e;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            platform.close();
            collector.close();
            jwksRelay.close();
            try {
                Infrastructure.wipe(wanted);
            } catch (IOException e) {
                System.err.println("[e2e] could not delete " + wanted.dataDir() + ": " + e.getMessage());
            }
        }, "e2e-platform-stop"));
        return wanted;
    }

    /**
     * The shared platform itself, for the one class that kills its services ({@link RegionFailoverIT}, ordered last so
     * no class runs on a platform that lost its gateway).
     */
    static synchronized Platform platform() throws Exception {
        get();
        return platform;
    }

    /** The relay every service of the shared platform fetches the gateways' JWK set through. */
    static synchronized JwksRelay jwksRelay() throws Exception {
        get();
        return jwksRelay;
    }

    /** The collector every service of the shared platform exports its spans to. */
    static synchronized OtlpTraceReceiver collector() throws Exception {
        get();
        return collector;
    }

    /**
     * Settings for a platform of a test's own (the shared one, or one that kills services): free ports, a temporary
     * data directory (a test never touches a developer's .platform/data), no ahead-of-time cache (a test run would
     * pay for training one and never use it), loopback only.
     *
     * @param env the services' extra environment, given the simulator's port (a configuration may name it)
     */
    static LauncherSettings freshSettings(String dataDirPrefix, String demoKey, String samplingProbability,
                                          IntFunction<Map<String, String>> env, Map<String, List<String>> args)
            throws IOException {
        Path home = Path.of(System.getProperty("platform.home", "../..")).toAbsolutePath().normalize();
        int[] ports = freePorts(11);
        Path dataDir = Files.createTempDirectory(dataDirPrefix);
        return new LauncherSettings(home, dataDir, ports[0], ports[1], ports[2], ports[10],
                ports[3], ports[4], ports[5], ports[6], ports[7], ports[8], ports[9], MANAGEMENT_OFFSET,
                "127.0.0.1", "127.0.0.1", samplingProbability, false, demoKey, env.apply(ports[9]), args, true,
                LauncherSettings.DEFAULT_START_PARALLELISM, 0);
    }

    /** The services' configuration: {@link #extraModel} and the scorecard's fault models and tenant. */
    private static String configuration(int simulatorPort) {
        ObjectNode root = (ObjectNode) JSON.readTree(extraModel(simulatorPort));
        ResilienceScorecardEndToEndIT.addFaultModels(root, simulatorPort);
        return JSON.writeValueAsString(root);
    }

    /**
     * A provider and a model added by configuration alone, the way the README adds a real provider: a
     * second named provider (here the simulator again, under another name) and a client-facing model
     * {@value #CONFIGURED_MODEL} that maps to its {@code sim-large}, allowed for the demo tenant.
     */
    static final String CONFIGURED_MODEL = "docs-assistant";

    private static String extraModel(int simulatorPort) {
        // plus what the scenarios use (ScenariosIT): the router's "auto" and a model whose provider is down
        return """
                {"platform":{
                  "orchestrator":{"providers":{"second":{"kind":"openai","base-url":"http://127.0.0.1:%1$d/v1","api-key":"other-key"},
                                               "offline":{"kind":"openai","base-url":"http://127.0.0.1:9/v1","api-key":"none"}},
                                  "models":{"%2$s":{"provider":"second","model":"sim-large"},
                                            "%3$s":{"provider":"offline","model":"sim-large"}},
                                  "fallbacks":{"%3$s":["sim-small"]}},
                  "gateway":{"tenants":{"demo":{"models":["sim-small","sim-large","%2$s","auto","%3$s"]}}}}}"""
                .formatted(simulatorPort, CONFIGURED_MODEL, Scenarios.OFFLINE_MODEL);
    }

    static URI gateway(String path) throws Exception {
        return URI.create("http://127.0.0.1:" + get().gatewayPort() + path);
    }

    static URI simulator(String path) throws Exception {
        return URI.create("http://127.0.0.1:" + get().simulatorPort() + path);
    }

    /** Each service's management port is its port plus this; the test picks ports where both are free. */
    static final int MANAGEMENT_OFFSET = 1000;

    /** Free ports whose partner {@code port + MANAGEMENT_OFFSET} is free too. */
    static int[] freePorts(int count) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        List<Integer> ports = new ArrayList<>();
        try {
            while (ports.size() < count) {
                ServerSocket socket = new ServerSocket(0);
                sockets.add(socket);
                int port = socket.getLocalPort();
                if (port + MANAGEMENT_OFFSET > 65535) {
                    continue;
                }
                try {
                    sockets.add(new ServerSocket(port + MANAGEMENT_OFFSET));
                    ports.add(port);
                } catch (IOException partnerBusy) {
                    // try another
                }
            }
            return ports.stream().mapToInt(Integer::intValue).toArray();
        } finally {
            for (ServerSocket s : sockets) {
                s.close();
            }
        }
    }

    private RunningPlatform() {
    }
}
