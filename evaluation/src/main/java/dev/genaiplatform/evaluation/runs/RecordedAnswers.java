package dev.genaiplatform.evaluation.runs;

import dev.genaiplatform.evaluation.scoring.CitedPassage;
import dev.genaiplatform.evaluation.scoring.PassageSource;
import dev.genaiplatform.evaluation.scoring.SavedPassages;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Record and replay of real platform answers. {@link #recording} wraps a client and keeps, per call, the
 * request that was sent (model, messages, tools, seed) and the response as the gateway returned it (status and
 * body); {@link #write} saves them as a fixture. Tests replay a fixture from an HTTP server, so the whole client
 * path (HTTP, parsing, scoring) runs on real answers without the platform. The fixture also saves the text of
 * every passage the answers cite ({@code passages}, see {@link SavedPassages}), so it can be scored after the docs
 * it cites have changed.
 */
public final class RecordedAnswers {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private RecordedAnswers() {
    }

    /** A client that answers through {@code delegate} and remembers each exchange in {@code into}. */
    public static ChatClient recording(GatewayChatClient delegate, List<ObjectNode> into) {
        return (goldenCase, options) -> {
            GatewayChatClient.Exchange exchange = delegate.exchange(goldenCase, options);
            ObjectNode entry = JSON.createObjectNode();
            entry.put("caseId", goldenCase.id());
            entry.set("request", JSON.valueToTree(exchange.requestBody()));
            entry.put("status", exchange.status());
            entry.put("latencyMillis", exchange.answer().latencyMillis());
            entry.set("body", readOrText(exchange.responseBody()));
            synchronized (into) {
                into.add(entry);
            }
            return exchange.answer();
        };
    }

    public static void write(Path file, String description, List<ObjectNode> exchanges, PassageSource corpus)
            throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("description", description);
        ArrayNode list = root.putArray("exchanges");
        List<ObjectNode> sorted = new ArrayList<>(exchanges);
        sorted.sort(java.util.Comparator.comparing(e -> e.path("caseId").asString() + "#"
                + e.at("/request/seed").asInt()));
        sorted.forEach(list::add);
        root.set("passages", SavedPassages.capture(cited(sorted), corpus));
        Files.createDirectories(file.toAbsolutePath().getParent());
        JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), root);
    }

    private static List<CitedPassage> cited(List<ObjectNode> exchanges) {
        List<CitedPassage> cited = new ArrayList<>();
        for (ObjectNode exchange : exchanges) {
            for (JsonNode citation : exchange.path("body").path("citations")) {
                cited.add(new CitedPassage(citation.path("index").asInt(), citation.path("documentPath").asString(""),
                        citation.path("startOffset").asInt(), citation.path("endOffset").asInt()));
            }
        }
        return cited;
    }

    private static JsonNode readOrText(String body) {
        try {
            return JSON.readTree(body);
        } catch (RuntimeException e) {
            return JSON.getNodeFactory().stringNode(body);
        }
    }

    /** The key a replay matches a request on: model, messages, tools and seed, as JSON. */
    public static String key(JsonNode requestBody) {
        ObjectNode key = JSON.createObjectNode();
        key.set("model", requestBody.path("model"));
        key.set("messages", requestBody.path("messages"));
        key.set("tools", requestBody.path("tools"));
        key.set("seed", requestBody.path("seed"));
        return key.toString();
    }

}
