package dev.genaiplatform.launcher;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * {@code ./platform.sh regions}: the platform as region A plus {@link SecondRegion} beside it, until Ctrl-C.
 * {@code ./platform.sh regions failover [clients] [seconds before] [seconds after]}: the same two regions, then a
 * {@link FailoverDrill} that kills region A's gateway and orchestrator mid-run (SIGKILL) and prints what the clients
 * saw; everything stops afterwards. docs/multi-region.md section 7 explains the split and the measured results.
 */
final class RegionsCommand {

    static int run(LauncherSettings settings, List<String> args) throws Exception {
        boolean drill = args.size() > 1 && args.get(1).equals("failover");
        int clients = intArg(args, 2, 4);
        int before = intArg(args, 3, 20);
        int after = intArg(args, 4, 30);
        if (clients < 1 || clients > 64 || before < 1 || after < 1) {
            System.err.println("Usage: ./platform.sh regions [failover [clients 1-64] [seconds before >= 1] "
                    + "[seconds after >= 1]]");
            return 2;
        }
        SecondRegion.Ports ports = SecondRegion.Ports.fromEnvironment(settings, System::getenv);
        // every service verifies tokens against the gateways' one JWK set at an address that survives either region
        JwksRelay relay = JwksRelay.start(0, List.of(URI.create("http://127.0.0.1:" + settings.gatewayPort()),
                URI.create("http://127.0.0.1:" + ports.gateway())));
        try {
            return run(settings.withServiceEnv(withJwks(settings, relay)), ports, drill, clients, before, after);
        } finally {
            relay.close();
        }
    }

    private static Map<String, String> withJwks(LauncherSettings settings, JwksRelay relay) {
        Map<String, String> env = new HashMap<>(settings.serviceEnv());
        env.put("PLATFORM_JWKS_URI", relay.uri().toString());
        return env;
    }

    private static int run(LauncherSettings settings, SecondRegion.Ports ports, boolean drill, int clients, int before,
                           int after) throws Exception {

        System.out.println("Starting region A, the platform (logs in " + settings.stateDir().resolve("logs") + ")");
        Platform platform;
        try {
            platform = Platform.start(settings, System.out::println);
        } catch (Exception e) {
            System.err.println("\nThe platform did not start: " + e.getMessage());
            return 1;
        }
        SecondRegion regionB;
        try {
            System.out.println("Starting region B: its own gateway, orchestrator and Redis; Kafka, PostgreSQL, "
                    + "guardrails, retrieval, tools-agent, evaluation and the model shared");
            regionB = SecondRegion.start(settings, platform.secrets(), ports, System.out::println);
        } catch (Exception e) {
            System.err.println("\nRegion B did not start: " + e.getMessage());
            platform.close();
            return 1;
        }
        Runnable stopAll = () -> {
            regionB.close();
            platform.close();
        };

        if (drill) {
            try {
                FailoverDrill failover = new FailoverDrill(URI.create("http://127.0.0.1:" + settings.gatewayPort()),
                        regionB.gateway(), settings.demoApiKey(), "sim-small");
                FailoverDrill.Result result = failover
                        .run(clients, Duration.ofSeconds(before), Duration.ofSeconds(after), () -> {
                            platform.kill("gateway");
                            platform.kill("orchestrator");
                        });
                FailoverDrill.print(result, "region A's gateway and orchestrator killed (SIGKILL)", System.out);
                System.out.printf("  machine load (1/5/15 min): %s%n", loadAverage());
                return result.unanswered().isEmpty() ? 0 : 1;
            } finally {
                System.out.println("\nStopping both regions...");
                stopAll.run();
            }
        }

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("\nStopping both regions...");
            stopAll.run();
            stopped.countDown();
        }, "regions-shutdown"));
        System.out.printf("""

                Two regions are up (%.1f s for region A, memory of all processes %d MB).

                  region A: http://localhost:%d/v1/chat/completions
                  region B: http://localhost:%d/v1/chat/completions
                  the same API key works in both (tenants and keys live in the shared PostgreSQL): %s
                  rate limits, budgets and caches are per region (each region's Redis).

                Press Ctrl-C to stop both.
                """, platform.startupTime().toMillis() / 1000.0, platform.residentBytes() >> 20,
                settings.gatewayPort(), ports.gateway(), settings.demoApiKey());
        stopped.await();
        return 0;
    }

    private static String loadAverage() {
        try {
            return String.join(" ", Arrays.asList(
                    Files.readString(Path.of("/proc/loadavg")).split(" ")).subList(0, 3));
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static int intArg(List<String> args, int index, int fallback) {
        if (args.size() <= index) {
            return fallback;
        }
        try {
            return Integer.parseInt(args.get(index));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private RegionsCommand() {
    }
}
