package dev.genaiplatform.launcher.scenario;

import java.util.Map;

/**
 * Apple: your most challenging GenAI work. Our pick: a request that must happen exactly once and still answer
 * while a provider is down. Idempotency keys on the chat API and on tool calls, and a fallback chain.
 */
final class HardestProblem implements Scenario {

    @Override
    public String name() {
        return "hardest-problem";
    }

    @Override
    public String question() {
        return "What is the most challenging GenAI problem you worked on? (ours: exactly-once effects under retries and outages)";
    }

    @Override
    public void run(ScenarioContext context, Report report) throws Exception {
        String key = context.unique("hardest");
        report.step("A client retries a chat request after a timeout: same Idempotency-Key, same body");
        Map<String, String> headers = Map.of("Idempotency-Key", key + "-chat", "Cache-Control", "no-cache");
        String question = "How are chunks cited? (order " + key + ")";
        Gateway.Reply first = context.ask("sim-small", question, headers);
        Gateway.Reply retry = context.ask("sim-small", question, headers);
        report.saw("first id", first.at("/id").asString());
        report.saw("retry id", retry.at("/id").asString() + ", Idempotent-Replayed: " + retry.header("Idempotent-Replayed"));
        boolean replayed = "true".equals(retry.header("Idempotent-Replayed"))
                && first.at("/choices/0/message/content").equals(retry.at("/choices/0/message/content"));
        report.saw("the retry got the first answer back, no second model call", replayed);
        report.fact("chatReplayed", replayed);

        report.step("A side effect retried with the same key: book a meeting twice, it exists once");
        Map<String, Object> meeting = Map.of("title", "Incident review " + key, "attendees", java.util.List.of("erin", "frank"),
                "start", "2027-03-10T09:00", "durationMinutes", 30, "timeZone", "America/New_York");
        Gateway.Reply booked = context.tool("schedule_meeting", meeting, key + "-meeting");
        if (ScenarioContext.toolAnswered(booked, report)) {
            Gateway.Reply again = context.tool("schedule_meeting", meeting, key + "-meeting");
            report.saw("first call", booked.at("/status").asString() + " " + ScenarioContext.brief(booked.at("/resultJson").asString(booked.at("/result").toString()), 120));
            report.saw("second call replayed", again.at("/replayed").asBoolean(false));
            Gateway.Reply reconciled = context.gateway().get("/api/tools/calls/" + key + "-meeting");
            report.saw("what became of the call (reconciliation)", reconciled.at("/state").asString(reconciled.text()));
            report.fact("toolReplayed", again.at("/replayed").asBoolean(false));
        }

        report.step("The provider of " + Scenarios.OFFLINE_MODEL + " is down: the request still answers, from the fallback");
        Gateway.Reply down = context.ask(Scenarios.OFFLINE_MODEL, "What is the gateway for?");
        if (down.status() == 404) {
            report.note("this running platform has no " + Scenarios.OFFLINE_MODEL + " model (it is added when "
                    + "./platform.sh scenario starts the platform itself); see docs/resilience-scorecard.md");
        } else {
            report.saw("platform.attempts", down.at("/platform/attempts"));
            report.saw("answered by", down.at("/platform/route/model").asString(down.at("/model").asString()));
            report.fact("fallbackAttempts", down.at("/platform/attempts").size());
        }

        report.lookAt("Idempotent-Replayed and the completion id: a retry costs no second model call");
        report.lookAt("tools-agent/README.md: the ledger that runs each idempotency key once, and reconciliation by /api/tools/calls/{key}");
        report.lookAt("platform.attempts: each provider tried, why it failed, and who answered; docs/resilience-scorecard.md for every fault");
        report.lookAt("orchestrator/src/main/java/dev/genaiplatform/orchestrator/resilience/: retries, breakers, fallback chains");
    }
}
