package dev.genaiplatform.launcher;

import dev.genaiplatform.launcher.scenario.Scenarios;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One platform for all end-to-end test classes: starting nine processes costs a minute on two cores, so
 * the first test class that asks starts it, later ones reuse it, and the JVM's exit stops it.
 */
final class RunningPlatform {

    static final String DEMO_KEY = "e2e-demo-key";
    static final String BURST_KEY = "e2e-burst-key";
    /** The same tiny bucket for the browser tests, so their 429 never drains PlatformEndToEndIT's exact burst. */
    static final String UI_BURST_KEY = "e2e-ui-burst-key";

    private static LauncherSettings settings;

    static synchronized LauncherSettings get() throws Exception {
        if (settings == null) {
            Path home = Path.of(System.getProperty("platform.home", "../..")).toAbsolutePath().normalize();
            int[] ports = freePorts(11);
            // a data directory of its own: the test never touches a developer's .platform/data
            Path dataDir = Files.createTempDirectory("platform-e2e-data-");
            LauncherSettings wanted = new LauncherSettings(home, dataDir, ports[0], ports[1], ports[2], ports[10],
                    ports[3], ports[4], ports[5], ports[6], ports[7], ports[8], ports[9], MANAGEMENT_OFFSET,
                    // no ahead-of-time cache: a test run would pay for training one and never use it
                    "127.0.0.1", "127.0.0.1", "1.0", false, DEMO_KEY,
                    Map.of("SIM_TIME_TO_FIRST_TOKEN_MS", "0", "SIM_INTER_TOKEN_MS", "0",
                            // the test reads what the model received; the launcher leaves this off by default
                            "SIM_INSPECTION_ENABLED", "true",
                            "SPRING_APPLICATION_JSON", extraModel(ports[9])),
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
            Platform platform = Platform.start(wanted, line -> System.out.println("[e2e] " + line));
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                platform.close();
                try {
                    Infrastructure.wipe(wanted);
                } catch (IOException e) {
                    System.err.println("[e2e] could not delete " + wanted.dataDir() + ": " + e.getMessage());
                }
            }, "e2e-platform-stop"));
            settings = wanted;
        }
        return settings;
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
