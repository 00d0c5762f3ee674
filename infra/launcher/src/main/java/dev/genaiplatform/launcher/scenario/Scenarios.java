package dev.genaiplatform.launcher.scenario;

import java.util.List;
import java.util.Optional;

/** The seventeen questions of the guide's section 3, in the guide's order, then the platform's own demos. */
public final class Scenarios {

    /**
     * A model whose provider is down on purpose (nothing listens on its address), with {@code sim-small} as
     * its fallback: how the scenarios show provider downtime through the gateway alone.
     */
    public static final String OFFLINE_MODEL = "sim-offline";

    public static List<Scenario> all() {
        return List.of(new PhoneLlm(), new KvCache(), new RagProject(), new HardestProblem(), new ChatGpt(),
                new Chatbot(), new EnterpriseSearch(), new LlmTraining(), new ClaudeChat(), new HarmlessHelpful(),
                new BatchingReview(), new MathModel(), new AgentSystem(), new DocumentUploads(), new DoctorBilling(),
                new ClaimsPipeline(), new Recommender(),
                new BatchLane());
    }

    public static Optional<Scenario> named(String name) {
        return all().stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** Runs one scenario with its title and closing notes around it. */
    public static void run(Scenario scenario, ScenarioContext context, Report report) throws Exception {
        report.title(scenario);
        scenario.run(context, report);
        report.finish();
    }

    /**
     * The configuration that adds {@value #OFFLINE_MODEL}: a provider at a closed loopback port, a model on it,
     * {@code sim-small} as its fallback, and the demo tenant allowed to use it and the router's {@code auto}. One {@code SPRING_APPLICATION_JSON}
     * for every service, the way the root README adds a real provider.
     */
    public static String offlineModelConfiguration() {
        return """
                {"platform":{
                  "orchestrator":{"providers":{"offline":{"kind":"openai","base-url":"http://127.0.0.1:9/v1","api-key":"none"}},
                                  "models":{"%1$s":{"provider":"offline","model":"sim-large"}},
                                  "fallbacks":{"%1$s":["sim-small"]}},
                  "gateway":{"tenants":{"demo":{"models":["sim-small","sim-large","auto","%1$s"]}}}}}"""
                .formatted(OFFLINE_MODEL);
    }

    private Scenarios() {
    }
}
