package dev.genaiplatform.launcher;

import dev.genaiplatform.launcher.scenario.Gateway;
import dev.genaiplatform.launcher.scenario.Report;
import dev.genaiplatform.launcher.scenario.Scenario;
import dev.genaiplatform.launcher.scenario.ScenarioContext;
import dev.genaiplatform.launcher.scenario.Scenarios;

import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code ./platform.sh scenario <name>|all|list}: runs the guide's interview questions against the platform.
 *
 * <p>A platform already answering on the gateway port is reused (start {@code ./platform.sh} in another
 * terminal, and each scenario then takes seconds). Otherwise this command starts one on the default ports and
 * data directory, runs the scenario, and stops it again: a minute or two of start-up for a single question.
 * The platform it starts has one extra model, {@value Scenarios#OFFLINE_MODEL}, whose provider is down on
 * purpose, so the resilience steps can show a fallback; a reused platform may not have it, and the scenarios
 * say so.
 */
final class ScenarioCommand {

    static int run(LauncherSettings settings, List<String> args) throws Exception {
        String name = args.size() > 1 ? args.get(1) : "list";
        if (name.equals("list")) {
            System.out.println("Scenarios (guide section 3), run one with ./platform.sh scenario <name>, or all:");
            for (Scenario scenario : Scenarios.all()) {
                System.out.printf("  %-18s %s%n", scenario.name(), scenario.question());
            }
            return 0;
        }
        List<Scenario> chosen = name.equals("all") ? Scenarios.all() : Scenarios.named(name).map(List::of).orElse(List.of());
        if (chosen.isEmpty()) {
            System.err.println("No scenario named '" + name + "'. ./platform.sh scenario list shows them all.");
            return 2;
        }

        Gateway gateway = new Gateway(URI.create("http://127.0.0.1:" + settings.gatewayPort()), settings.demoApiKey());
        Platform started = null;
        if (gateway.answers()) {
            System.out.println("Using the platform already running at " + gateway.base() + " (demo key from PLATFORM_DEMO_API_KEY or demo-local-key).");
        } else {
            System.out.println("No platform answers at " + gateway.base() + ": starting one for this scenario "
                    + "(run ./platform.sh in another terminal to keep one up and make scenarios start in seconds).");
            try {
                started = Platform.start(withScenarioModels(settings), System.out::println);
            } catch (Exception e) {
                System.err.println("\nThe platform did not start: " + e.getMessage());
                return 1;
            }
        }
        try {
            ScenarioContext context = new ScenarioContext(gateway, settings.home());
            int failed = 0;
            for (Scenario scenario : chosen) {
                try {
                    Scenarios.run(scenario, context, new Report(System.out));
                } catch (Exception e) {
                    failed++;
                    System.out.println("\nThe scenario " + scenario.name() + " stopped: " + e);
                }
            }
            return failed == 0 ? 0 : 1;
        } finally {
            if (started != null) {
                System.out.println("\nStopping the platform this command started...");
                started.close();
            }
        }
    }

    /** Adds the deliberately unreachable provider and its model, unless the user configures models of their own. */
    static LauncherSettings withScenarioModels(LauncherSettings settings) {
        if (System.getenv("SPRING_APPLICATION_JSON") != null) {
            return settings;
        }
        Map<String, String> env = new HashMap<>(settings.serviceEnv());
        env.put("SPRING_APPLICATION_JSON", Scenarios.offlineModelConfiguration());
        return settings.withServiceEnv(env);
    }

    private ScenarioCommand() {
    }
}
