package dev.genaiplatform.launcher.scenario;

import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What every scenario gets: the gateway, the committed sample inputs ({@code scenarios/} at the repository
 * root), and the few request shapes they all send, so each scenario reads as its story and not as HTTP.
 */
public final class ScenarioContext {

    private final Gateway gateway;
    private final Path samples;
    private final String runId = UUID.randomUUID().toString().substring(0, 8);

    public ScenarioContext(Gateway gateway, Path home) {
        this.gateway = gateway;
        this.samples = home.resolve("scenarios");
    }

    Gateway gateway() {
        return gateway;
    }

    /** A short id unique to this run, so repeated runs never collide on idempotency keys or names. */
    String unique(String prefix) {
        return prefix + "-" + runId;
    }

    String sample(String relativePath) throws IOException {
        return Files.readString(samples.resolve(relativePath));
    }

    List<Path> samples(String folder) throws IOException {
        try (var files = Files.list(samples.resolve(folder))) {
            return files.sorted().toList();
        }
    }

    /** One user message to a model, no stream; {@code Cache-Control: no-cache} unless the scenario wants the cache. */
    Gateway.Reply ask(String model, String question) throws IOException, InterruptedException {
        return ask(model, question, Map.of("Cache-Control", "no-cache"));
    }

    Gateway.Reply ask(String model, String question, Map<String, String> headers) throws IOException, InterruptedException {
        return gateway.post("/v1/chat/completions", Map.of("model", model,
                "messages", List.of(Map.of("role", "user", "content", question))), headers);
    }

    /** A chat request of the scenario's own making (tools, response_format, several messages). */
    Gateway.Reply chat(Map<String, Object> body) throws IOException, InterruptedException {
        return gateway.post("/v1/chat/completions", body, Map.of("Cache-Control", "no-cache"));
    }

    /** Invokes a tool in tools-agent through the gateway's {@code /api/tools} route. */
    Gateway.Reply tool(String name, Map<String, Object> arguments, String idempotencyKey)
            throws IOException, InterruptedException {
        return tool(name, arguments, idempotencyKey, null);
    }

    /** The same, on behalf of an end user ({@code X-User-Id}, which the gateway puts in the internal token). */
    Gateway.Reply tool(String name, Map<String, Object> arguments, String idempotencyKey, String user)
            throws IOException, InterruptedException {
        Map<String, String> headers = new java.util.HashMap<>();
        if (idempotencyKey != null) {
            headers.put("Idempotency-Key", idempotencyKey);
        }
        if (user != null) {
            headers.put("X-User-Id", user);
        }
        return gateway.post("/api/tools/" + name + "/invocations", arguments, headers);
    }

    /**
     * Whether tools-agent answered the call at all. A refused token (401/403) or a missing service is reported as
     * such, and the scenario goes on with what it can show: the fact {@code toolsReachable} says which it was.
     */
    static boolean toolAnswered(Gateway.Reply reply, Report report) {
        boolean answered = reply.status() != 401 && reply.status() != 403 && reply.status() < 500;
        report.fact("toolsReachable", answered);
        if (!answered) {
            report.notYet("a tool result: tools-agent answered " + reply.status() + " " + problemCode(reply)
                    + " to the gateway's call, so this build cannot show the tool step");
        }
        return answered;
    }

    /** Polls a path until the JSON field at {@code pointer} is one of {@code done}, or the time runs out. */
    Gateway.Reply poll(String path, String pointer, List<String> done, Duration atMost)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + atMost.toNanos();
        Gateway.Reply reply = gateway.get(path);
        while (System.nanoTime() < deadline && !done.contains(reply.at(pointer).asString(""))) {
            Thread.sleep(200);
            reply = gateway.get(path);
        }
        return reply;
    }

    /** The problem document's short code ({@code error.code}), or its type's last segment. */
    static String problemCode(Gateway.Reply reply) {
        JsonNode code = reply.at("/error/code");
        if (!code.isMissingNode() && !code.isNull()) {
            return code.asString();
        }
        String type = reply.at("/type").asString("");
        return type.substring(type.lastIndexOf(':') + 1);
    }

    /** First characters of a text, on one line: enough to recognise it in the output. */
    static String brief(String text, int length) {
        String line = text == null ? "" : text.replaceAll("\\s+", " ").trim();
        return line.length() <= length ? line : line.substring(0, length) + "...";
    }
}
