package dev.genaiplatform.launcher.scenario;

import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Cohere: a model that solves math problems (data, SFT, post-training, evaluation). No model is fine-tuned here;
 * the platform shows the two parts around it: a model that hands arithmetic to a tool instead of guessing, and
 * an evaluation run that scores the tool calls on a golden set of word problems.
 */
final class MathModel implements Scenario {

    private static final Map<String, Object> CALCULATOR = Map.of("type", "function", "function", Map.of(
            "name", "calculate", "description", "Evaluate an arithmetic expression and return the number.",
            "parameters", Map.of("type", "object", "required", List.of("expression"),
                    "properties", Map.of("expression", Map.of("type", "string")))));

    @Override
    public String name() {
        return "math-model";
    }

    @Override
    public String question() {
        return "Design a model that solves math problems: data collection, SFT, post-training and evaluation.";
    }

    @Override
    public void run(ScenarioContext context, Report report) throws Exception {
        JsonNode problems = Gateway.JSON.readTree(context.sample("math/word-problems.json"));
        JsonNode first = problems.get(0);

        report.step("The model is offered a calculator tool and asks for it instead of computing in its head");
        Gateway.Reply call = context.chat(Map.of("model", "sim-small", "tools", List.of(CALCULATOR), "tool_choice", "auto",
                "messages", List.of(Map.of("role", "user", "content", first.path("question").asString()))));
        JsonNode toolCall = call.at("/choices/0/message/tool_calls/0/function");
        report.saw("finish_reason", call.at("/choices/0/finish_reason").asString());
        report.saw("tool call", toolCall.path("name").asString() + " " + toolCall.path("arguments").asString());
        report.fact("toolCalled", toolCall.path("name").asString());

        report.step("The platform's own calculator (tools-agent) evaluates it exactly");
        String expression = Gateway.JSON.readTree(toolCall.path("arguments").asString("{}")).path("expression").asString(first.path("expression").asString());
        Gateway.Reply result = context.tool("calculator", Map.of("expression", expression), null);
        String value = null;
        if (ScenarioContext.toolAnswered(result, report)) {
            value = result.at("/resultJson").asString(result.at("/result").toString());
            report.saw("calculator", expression + " = " + value + " (reference " + first.path("answer").asInt() + ")");
        }

        report.step("The answer turn: the tool result goes back, the model writes the reply");
        Gateway.Reply answer = context.chat(Map.of("model", "sim-small", "tools", List.of(CALCULATOR), "messages", List.of(
                Map.of("role", "user", "content", first.path("question").asString()),
                Map.of("role", "assistant", "tool_calls", List.of(Map.of("id", "call_1", "type", "function",
                        "function", Map.of("name", "calculate", "arguments", toolCall.path("arguments").asString("{}"))))),
                Map.of("role", "tool", "tool_call_id", "call_1", "content", value != null ? value : String.valueOf(first.path("answer").asInt())))));
        report.saw("answer", ScenarioContext.brief(answer.at("/choices/0/message/content").asString(), 160));

        report.step("Evaluation: the word problems as a golden set of tool-call cases, run through the gateway");
        List<Map<String, Object>> cases = new ArrayList<>();
        for (JsonNode problem : problems) {
            cases.add(Map.of("id", problem.path("id").asString(), "kind", "tool-call",
                    "messages", List.of(Map.of("role", "user", "content", problem.path("question").asString())),
                    "expectedTool", "calculate", "expectedArguments", Map.of("expression", problem.path("expression").asString())));
        }
        Gateway.Reply run = context.gateway().post("/api/evaluation/runs", Map.of("model", "sim-small", "goldenSet",
                Map.of("name", "word-problems", "version", 1, "tools", List.of(CALCULATOR), "cases", cases)));
        if (!run.ok()) {
            report.saw("evaluation run refused", run.status() + " " + run.at("/detail").asString());
        } else {
            Gateway.Reply done = context.poll("/api/evaluation/runs/" + run.at("/id").asString(), "/status",
                    List.of("SUCCEEDED", "FAILED"), Duration.ofSeconds(120));
            report.saw("run", done.at("/status").asString() + ", " + done.at("/completedCalls").asInt() + " calls");
            report.saw("toolAccuracy", done.at("/summary/toolAccuracy"));
            report.fact("evaluationStatus", done.at("/status").asString());
        }

        report.lookAt("choices[0].message.tool_calls and finish_reason tool_calls: the OpenAI tool protocol, unchanged through the gateway");
        report.lookAt("evaluation/src/main/resources/golden/tool-use.json: the committed tool-call golden set this extends");
        report.lookAt("scenarios/math/word-problems.json: the inputs (synthetic)");
        report.outOfReach("collecting math data, supervised fine-tuning, RL from verifiable rewards: no model is trained "
                + "here. The simulator calls the tool when the message holds an arithmetic expression (a documented "
                + "rule), which is why each problem names its expression; a real model must find it in the words");
    }
}
