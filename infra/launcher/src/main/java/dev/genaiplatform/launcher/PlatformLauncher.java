package dev.genaiplatform.launcher;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * {@code ./platform.sh}: starts the whole platform on this machine, prints where to reach it, and stops
 * everything on Ctrl-C. {@code ./platform.sh --wipe} first deletes the data directory, so the platform
 * starts empty (new secrets included).
 *
 * <p>One JVM per service, on purpose: it is how the platform runs in production (and in docker compose),
 * a crash stays in its service, and each service's memory shows up on its own. See
 * docs/adr/0001-one-jvm-per-service.md for the trade-off against one shared JVM.
 */
public final class PlatformLauncher {

    public static void main(String[] args) throws Exception {
        quietKafkaLogging();
        String homeEnv = System.getenv("PLATFORM_HOME");
        Path home = homeEnv != null && !homeEnv.isBlank() ? Path.of(homeEnv) : LauncherSettings.findHome(Path.of(""));
        LauncherSettings settings = LauncherSettings.fromEnvironment(home);

        if (args.length > 0 && args[0].equals("bench")) {
            OverheadBenchmark.run(settings, args);
            return;
        }
        if (args.length > 0 && args[0].equals("scenario")) {
            System.exit(ScenarioCommand.run(settings, List.of(args)));
            return;
        }
        if (args.length > 0 && args[0].equals("regions")) {
            if (List.of(args).contains("--wipe")) {
                Infrastructure.wipe(settings);
            }
            System.exit(RegionsCommand.run(settings, List.of(args).stream().filter(a -> !a.equals("--wipe")).toList()));
            return;
        }
        if (List.of(args).contains("--wipe")) {
            Infrastructure.wipe(settings);
            System.out.println("Wiped " + settings.dataDir() + " (Kafka's log, PostgreSQL, Redis, the index, the secrets).");
        }

        System.out.println("Starting the GenAI reference platform (logs in " + settings.stateDir().resolve("logs") + ")");
        // Ctrl-C or SIGTERM, during the start too: the platform's own exit hook stops whatever has started
        Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println("\nStopping the platform..."),
                "platform-stopping-notice"));
        Platform platform;
        try {
            platform = Platform.start(settings, System.out::println);
        } catch (Exception e) {
            System.err.println("\nThe platform did not start: " + e.getMessage());
            System.exit(1);
            return;
        }

        CountDownLatch stopped = new CountDownLatch(1);
        AtomicBoolean stopping = new AtomicBoolean();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopping.set(true);
            platform.close();
            System.out.println("Stopped.");
            stopped.countDown();
        }, "platform-shutdown"));

        printBanner(settings, platform);
        trainCachesInTheBackground(settings, platform, stopping::get);
        stopped.await();
    }

    /**
     * When services train their ahead-of-time caches (a first start, or a changed jar), sends the gateway
     * {@link LauncherSettings#aotTrainingRequests()} requests while the platform is already usable, so the caches hold
     * the request path's profiles and the next starts warm up sooner (README, "Wave 14: the warm-up curve").
     */
    private static void trainCachesInTheBackground(LauncherSettings settings, Platform platform, BooleanSupplier stopping) {
        boolean trains = settings.aheadOfTimeCache() && Runtime.version().feature() >= 25
                && platform.services().stream().anyMatch(ServiceProcess::trainsCache);
        int requests = settings.aotTrainingRequests();
        if (!trains || requests == 0) {
            return;
        }
        System.out.printf("Training the ahead-of-time caches in the background: %,d requests through the gateway "
                + "(PLATFORM_AOT_TRAINING_REQUESTS); they are written as the platform stops.%n", requests);
        Thread.ofPlatform().daemon().name("cache-training").start(() -> {
            try {
                CacheTraining.Result result = new CacheTraining(settings.gatewayPort(), settings.demoApiKey())
                        .run(requests, stopping);
                if (!stopping.getAsBoolean()) {
                    System.out.printf("Cache training done: %,d requests (%,d answered 200) in %.0f s.%n",
                            result.sent(), result.answered(), result.took().toMillis() / 1000.0);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    private static void printBanner(LauncherSettings settings, Platform platform) {
        String url = "http://localhost:" + settings.gatewayPort();
        PlatformSecrets secrets = platform.secrets();
        // like the demo key, the generated keys are shown once: at the start that created them
        String keys = secrets.createdNow()
                ? "  Admin API key:         " + secrets.get(PlatformSecrets.ADMIN_API_KEY) + "   (shown once)\n"
                + "  Evaluation API key:    " + secrets.get(PlatformSecrets.EVALUATION_API_KEY) + "\n"
                : "";
        System.out.printf("""

                The platform is up in %.1f s, using %d MB of memory (resident, all processes).

                  OpenAI-compatible API: %s/v1/chat/completions   (API key: %s)
                %s  Generated keys and passwords: %s (owner-only, never commit)
                  Data, kept across restarts: %s   (./platform.sh --wipe starts empty)

                Try it:

                  curl -N %s/v1/chat/completions \\
                    -H 'Authorization: Bearer %s' -H 'Content-Type: application/json' \\
                    -d '{"model":"sim-small","stream":true,"messages":[{"role":"user","content":"How does retrieval rank passages?"}]}'

                Press Ctrl-C to stop everything.
                """, platform.startupTime().toMillis() / 1000.0, platform.residentBytes() >> 20,
                url, settings.demoApiKey(), keys, secrets.file(), settings.dataDir(), url, settings.demoApiKey());
    }

    /** The broker logs through slf4j-simple; only warnings belong on the user's console. */
    private static void quietKafkaLogging() {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        // a fresh single-node cluster logs its own bootstrap and shutdown as warnings: expected here
        System.setProperty("org.slf4j.simpleLogger.log.org.apache.kafka", "error");
        System.setProperty("org.slf4j.simpleLogger.log.kafka", "error");
        System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
        // zonky logs PostgreSQL's start-up at INFO
        System.setProperty("org.slf4j.simpleLogger.log.io.zonky", "warn");
    }

    private PlatformLauncher() {
    }
}
