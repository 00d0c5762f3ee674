package dev.genaiplatform.launcher.scenario;

/**
 * One interview question of the guide's section 3, shown on the running platform. A scenario speaks only to
 * the gateway, as a client with the demo key would, and reports what happened and where to look.
 */
public interface Scenario {

    /** The command-line name: {@code ./platform.sh scenario <name>}. */
    String name();

    /** The interview question, in our words. */
    String question();

    void run(ScenarioContext context, Report report) throws Exception;
}
