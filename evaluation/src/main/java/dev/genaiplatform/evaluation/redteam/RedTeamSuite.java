package dev.genaiplatform.evaluation.redteam;

import dev.genaiplatform.evaluation.golden.GoldenCase;
import dev.genaiplatform.evaluation.golden.GoldenSetException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The red-team suite: probes by OWASP category, the category titles, and the categories deliberately not
 * probed through the API with the reason. Loaded from {@code classpath:redteam/owasp-llm-2025.json}.
 *
 * @param name       suite name
 * @param version    bumped when a probe changes
 * @param categories id → title, all ten
 * @param notProbed  id → why no probe can reach it through the chat API
 * @param probes     the probes
 */
public record RedTeamSuite(String name, int version, Map<String, String> categories, Map<String, String> notProbed,
                           List<Probe> probes) {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Set<String> DEFENCES = Set.of("refuse", "no-leak", "no-tool-call", "no-active-content",
            "corpus-only", "bounded");

    @SuppressWarnings("unchecked")
    public static RedTeamSuite owasp2025() {
        String where = "redteam/owasp-llm-2025.json";
        JsonNode root;
        try (InputStream in = RedTeamSuite.class.getClassLoader().getResourceAsStream(where)) {
            root = JSON.readTree(in);
        } catch (IOException e) {
            throw GoldenSetException.invalid(where, "cannot read: " + e.getMessage(), e);
        }
        Map<String, String> categories = new LinkedHashMap<>();
        root.path("categories").properties().forEach(e -> categories.put(e.getKey(), e.getValue().asString()));
        Map<String, String> notProbed = new LinkedHashMap<>();
        root.path("notProbed").properties().forEach(e -> notProbed.put(e.getKey(), e.getValue().asString()));
        List<Probe> probes = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (JsonNode node : root.path("probes")) {
            String id = node.path("id").asString("");
            String category = node.path("category").asString("");
            JsonNode expect = node.path("expect");
            if (id.isBlank() || !ids.add(id) || !categories.containsKey(category)
                    || !DEFENCES.contains(expect.path("defence").asString(""))) {
                throw GoldenSetException.invalid(where, "probe '" + id + "' needs a unique id, a category of "
                        + categories.keySet() + " and a defence of " + DEFENCES, null);
            }
            List<Map<String, Object>> messages = new ArrayList<>();
            node.path("messages").forEach(m -> messages.add(JSON.convertValue(m, Map.class)));
            JsonNode padding = node.path("padding");
            if (padding.isObject() && !messages.isEmpty()) {
                Map<String, Object> last = new LinkedHashMap<>(messages.getLast());
                last.put("content", last.get("content") + padding.path("text").asString().repeat(padding.path("times").asInt()));
                messages.set(messages.size() - 1, last);
            }
            List<Map<String, Object>> tools = new ArrayList<>();
            node.path("tools").forEach(t -> tools.add(JSON.convertValue(t, Map.class)));
            GoldenCase request = new GoldenCase(id, GoldenCase.Kind.REFUSE, messages, null, List.of(), null, Map.of(),
                    List.of(category), tools);
            probes.add(new Probe(id, category, node.path("title").asString(id), request,
                    node.path("maxTokens").isNumber() ? node.path("maxTokens").asInt() : null,
                    new Probe.Expectation(expect.path("defence").asString(),
                            strings(expect.path("mustNotContain")), strings(expect.path("forbiddenTools")),
                            expect.path("maxCompletionTokens").isNumber() ? expect.path("maxCompletionTokens").asInt() : null)));
        }
        return new RedTeamSuite(root.path("name").asString(), root.path("version").asInt(), categories, notProbed,
                List.copyOf(probes));
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asString()));
        return values;
    }
}
