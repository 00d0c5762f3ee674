package dev.genaiplatform.launcher.scenario;

import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/**
 * Prints a chat completion the way every scenario wants to see it: the answer, its citations, the route and
 * cache headers, the attempts and the cost, and the answer trace of ADR 0005 where this build sends one.
 */
final class Answers {

    /** Prints the answer and returns how many citations it carried. */
    static int show(Gateway.Reply reply, Report report) {
        if (!reply.ok()) {
            report.saw("status", reply.status() + " " + ScenarioContext.problemCode(reply) + ": "
                    + ScenarioContext.brief(reply.at("/detail").asString(""), 160));
            return 0;
        }
        report.saw("answer", ScenarioContext.brief(reply.at("/choices/0/message/content").asString(""), 220));
        report.saw("X-Platform-Route", reply.header("X-Platform-Route"));
        report.saw("X-Platform-Cache", reply.header("X-Platform-Cache"));
        JsonNode citations = reply.at("/citations");
        for (JsonNode citation : citations) {
            report.saw("citation [" + citation.path("index").asInt() + "]", citation.path("documentPath").asString()
                    + " > " + citation.path("heading").asString() + " (chars " + citation.path("startOffset").asInt()
                    + "-" + citation.path("endOffset").asInt() + ")");
        }
        JsonNode platform = reply.at("/platform");
        if (platform.has("attempts")) {
            report.saw("platform.attempts", platform.get("attempts"));
        }
        if (platform.has("costUsd")) {
            report.saw("platform.costUsd", String.format("%.6f", platform.get("costUsd").asDouble()));
        }
        showTrace(platform, report);
        return citations.size();
    }

    /** The ADR 0005 members: shown when present, named as missing when not, so a reader knows what to expect. */
    static void showTrace(JsonNode platform, Report report) {
        if (platform.has("answerKind")) {
            report.saw("platform.answerKind", platform.get("answerKind").asString());
        }
        if (platform.has("stages")) {
            List<String> stages = new ArrayList<>();
            for (JsonNode stage : platform.get("stages")) {
                stages.add(stage.path("name").asString() + " " + stage.path("millis").asDouble() + " ms "
                        + stage.path("outcome").asString(""));
            }
            report.saw("platform.stages", String.join(" | ", stages));
        } else {
            report.notYet("platform.stages and platform.answerKind, the answer trace of ADR 0005; "
                    + "the Server-Timing header has the stage timings meanwhile");
        }
        if (platform.has("clarification")) {
            report.saw("platform.clarification", platform.get("clarification"));
        }
        for (JsonNode passage : platform.path("retrieval").path("passages")) {
            report.saw("platform.retrieval passage", String.format("%.4f %s %s%s", passage.path("score").asDouble(),
                    passage.path("documentPath").asString(), passage.path("cited").asBoolean(false) ? "(cited)" : "(not cited)",
                    passage.path("untrusted").asBoolean(false) ? " untrusted" : ""));
        }
        if (platform.has("guardrails")) {
            report.saw("platform.guardrails", platform.get("guardrails"));
        }
        if (platform.has("experiment")) {
            report.saw("platform.experiment", platform.get("experiment"));
        }
    }

    private Answers() {
    }
}
