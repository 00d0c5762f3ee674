package dev.genaiplatform.launcher.scenario;

import java.util.List;
import java.util.Map;

/**
 * Anthropic: design the Claude chat service. The reliability side of a chat service, from the client's seat:
 * which models a key may use, streaming with usage, a provider outage absorbed by a fallback, a retried request
 * answered once, and the ids that let support find a request again.
 */
final class ClaudeChat implements Scenario {

    @Override
    public String name() {
        return "claude-chat";
    }

    @Override
    public String question() {
        return "Design the Claude chat service.";
    }

    @Override
    public void run(ScenarioContext context, Report report) throws Exception {
        report.step("The models this key may use (the tenant's allow-list)");
        Gateway.Reply models = context.gateway().get("/v1/models");
        List<String> ids = new java.util.ArrayList<>();
        models.at("/data").forEach(m -> ids.add(m.path("id").asString()));
        report.saw("GET /v1/models", ids);

        report.step("A streamed answer that reports its usage at the end (stream_options.include_usage)");
        List<Gateway.Event> events = context.gateway().stream(Map.of("model", "sim-large", "stream", true,
                "stream_options", Map.of("include_usage", true),
                "messages", List.of(Map.of("role", "user", "content", "How does the orchestrator talk to guardrails?"))),
                Map.of("Cache-Control", "no-cache"));
        events.stream().filter(e -> !e.data().equals("[DONE]") && e.json().has("usage") && !e.json().get("usage").isNull())
                .findFirst().ifPresent(e -> report.saw("usage chunk", e.json().get("usage")));
        report.saw("events", events.size() + ", last " + events.getLast().data());
        report.fact("streamEvents", events.size());

        report.step("A provider outage: " + Scenarios.OFFLINE_MODEL + "'s provider is down, the fallback answers");
        Gateway.Reply down = context.ask(Scenarios.OFFLINE_MODEL, "What is the gateway for?");
        if (down.status() == 404) {
            report.note("this running platform has no " + Scenarios.OFFLINE_MODEL + " model (./platform.sh scenario adds it "
                    + "when it starts the platform itself); docs/resilience-scorecard.md has every fault");
            report.fact("fallback", "not configured");
        } else {
            report.saw("platform.attempts", down.at("/platform/attempts"));
            report.saw("platform.route", down.at("/platform/route"));
            report.fact("fallback", down.at("/platform/route/model").asString());
        }

        report.step("A client retry after a network error: the same Idempotency-Key returns the first answer");
        Map<String, String> key = Map.of("Idempotency-Key", context.unique("claude-chat"), "Cache-Control", "no-cache");
        String question = "How are chunks cited? (" + context.unique("retry") + ")";
        Gateway.Reply first = context.ask("sim-small", question, key);
        Gateway.Reply retry = context.ask("sim-small", question, key);
        report.saw("ids", first.at("/id").asString() + " / " + retry.at("/id").asString()
                + ", Idempotent-Replayed: " + retry.header("Idempotent-Replayed"));

        report.step("What a support engineer quotes: request and trace ids, and the stage timings");
        report.saw("X-Request-Id", first.header("X-Request-Id"));
        report.saw("X-Trace-Id", first.header("X-Trace-Id") == null ? "(not sent by this build)" : first.header("X-Trace-Id"));
        report.saw("Server-Timing", first.header("Server-Timing"));

        report.lookAt("platform.attempts and platform.route.model: who answered after which failures");
        report.lookAt("docs/resilience-scorecard.md and docs/fault-kinds.md: each simulator fault, what the platform does, what the client sees");
        report.lookAt("orchestrator/README.md, providers and resilience: timeouts, retries before the first token, breakers, bulkheads");
        report.lookAt("gateway/README.md: keys, tenants, rate limits and budgets in front of it all");
        report.outOfReach("multi-region failover and a GPU fleet: one machine here; infra/k8s shows replicas, probes and autoscalers as manifests");
        report.outOfReach("a simulator fault injected per request (x-sim-fault) through the gateway: the orchestrator does not "
                + "forward that header, so this scenario uses a provider that is down instead");
    }
}
