package dev.genaiplatform.launcher.scenario;

import tools.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;

/**
 * OpenAI: design ChatGPT. The serving path a chat product needs, each part visible from the client: streaming,
 * conversations the server remembers, routing between a small and a large model, the answer cache, per-key rate
 * limits, and feedback on answers.
 */
final class ChatGpt implements Scenario {

    @Override
    public String name() {
        return "chatgpt";
    }

    @Override
    public String question() {
        return "Design ChatGPT.";
    }

    @Override
    public void run(ScenarioContext context, Report report) throws Exception {
        String conversation = context.unique("chatgpt");
        report.step("A streamed answer (server-sent events), in a conversation the platform remembers");
        List<Gateway.Event> events = context.gateway().stream(Map.of("model", "sim-small", "stream", true,
                        "messages", List.of(Map.of("role", "user", "content", "My name is Ada. How does the gateway limit request rates?"))),
                Map.of("X-Conversation-Id", conversation, "Cache-Control", "no-cache"));
        long chunks = events.stream().filter(e -> !e.data().equals("[DONE]")
                && !e.json().at("/choices/0/delta/content").asString("").isEmpty()).count();
        report.saw("content chunks", chunks + ", first after " + events.getFirst().millis() + " ms, last event " + events.getLast().data());
        Gateway.Event finish = events.get(events.size() - 2);
        report.saw("finish chunk", "finish_reason " + finish.json().at("/choices/0/finish_reason").asString()
                + ", " + finish.json().at("/citations").size() + " citations");
        report.fact("streamedChunks", chunks);

        report.step("The next turn sends only the new message: the server adds the history");
        Gateway.Reply next = context.ask("sim-small", "And how are answers cached?",
                Map.of("X-Conversation-Id", conversation, "Cache-Control", "no-cache"));
        report.saw("platform.tokenBudget.history", next.at("/platform/tokenBudget/history").asInt() + " tokens of earlier turns in the prompt");
        report.fact("historyTokens", next.at("/platform/tokenBudget/history").asInt());

        report.step("model \"auto\": the router picks the small or the large model by the request");
        for (String question : List.of("What is RAG?", "Compare reciprocal rank fusion with a learned re-ranker, "
                + "explain the trade-off in latency, cost and quality, and say when you would choose each.")) {
            Gateway.Reply routed = context.ask("auto", question);
            if (!routed.ok()) {
                report.notYet("routing through the gateway: it answered " + routed.status() + " "
                        + ScenarioContext.problemCode(routed) + " for model auto (the tenant's model list must name it)");
                break;
            }
            report.saw("X-Platform-Route", routed.header("X-Platform-Route") + "   <- \"" + ScenarioContext.brief(question, 40) + "\"");
            report.fact("routed", routed.header("X-Platform-Route"));
        }

        report.step("The same question twice: the second comes from the answer cache");
        context.ask("sim-small", "What does the orchestrator do?", Map.of());
        Gateway.Reply cached = context.ask("sim-small", "What does the orchestrator do?", Map.of());
        report.saw("X-Platform-Cache", cached.header("X-Platform-Cache") + ", platform.costUsd " + cached.at("/platform/costUsd").asDouble());
        report.fact("cache", cached.header("X-Platform-Cache"));

        report.step("Per-key limits, on every admitted response");
        report.saw("x-ratelimit-remaining-requests", cached.header("x-ratelimit-remaining-requests")
                + " of " + cached.header("x-ratelimit-limit-requests"));
        report.saw("x-ratelimit-remaining-tokens", cached.header("x-ratelimit-remaining-tokens")
                + " of " + cached.header("x-ratelimit-limit-tokens"));

        report.step("A thumbs-up on the answer: feedback joins the completion's record in evaluation");
        Gateway.Reply feedback = context.gateway().post("/api/evaluation/feedback",
                Map.of("completionId", next.at("/id").asString(), "rating", "up", "comment", "clear and cited"),
                Map.of("X-User-Id", "ada"));
        report.saw("feedback", feedback.status() + " " + ScenarioContext.brief(feedback.text(), 160));

        report.step("A prompt change shipped as an A/B test: one answer per arm, then the per-arm report");
        for (String arm : java.util.List.of("A", "B")) {
            Gateway.Reply armed = context.ask("sim-small", "How does the gateway limit request rates?",
                    Map.of("X-Platform-Experiment-Arm", "grounded-answer:" + arm, "Cache-Control", "no-cache"));
            JsonNode experiment = armed.at("/platform/experiment");
            report.saw("arm " + arm, armed.status() + (experiment.isMissingNode() ? "" : " " + experiment));
        }
        Gateway.Reply ab = context.gateway().get("/api/evaluation/experiments/grounded-answer?shares=A:5000,B:5000");
        for (int i = 0; i < 20 && ab.status() == 404; i++) {
            Thread.sleep(250); // completion events reach evaluation over Kafka
            ab = context.gateway().get("/api/evaluation/experiments/grounded-answer?shares=A:5000,B:5000");
        }
        if (ab.ok()) {
            report.saw("GET /api/evaluation/experiments/grounded-answer", ScenarioContext.brief(ab.text(), 300));
            report.fact("abReport", true);
        } else {
            report.notYet("an A/B report: no completion was recorded in an experiment arm yet (the orchestrator assigns "
                    + "arms only with EXPERIMENT_ENABLED=true); the report endpoint answered " + ab.status());
        }

        report.step("Forget the conversation");
        Gateway.Reply forgotten = context.gateway().delete("/v1/conversations/" + conversation);
        if (forgotten.ok()) {
            report.saw("DELETE /v1/conversations/" + conversation, forgotten.status());
        } else {
            report.notYet("deleting a conversation through the gateway (answered " + forgotten.status()
                    + "); the orchestrator has DELETE /v1/conversations/{id}, the gateway routes no such path yet");
        }

        report.lookAt("the SSE stream: content chunks, then a finish chunk carrying citations and platform, then [DONE]");
        report.lookAt("X-Conversation-Id and platform.tokenBudget.history/turnsDropped: memory within a token budget");
        report.lookAt("X-Platform-Route (rule and complexity), X-Platform-Cache, x-ratelimit-*: headers a client can act on");
        report.lookAt("docs/architecture.md: one request through gateway, orchestrator, guardrails, retrieval and model");
        report.lookAt("docs/capacity.md: how many simulator replicas a given traffic needs");
        report.outOfReach("ChatGPT's scale (millions of users, GPU fleets): this runs on one machine; infra/load and "
                + "docs/capacity.md show how the same parts are measured and sized");
    }
}
