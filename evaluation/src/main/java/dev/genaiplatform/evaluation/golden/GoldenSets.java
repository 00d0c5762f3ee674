package dev.genaiplatform.evaluation.golden;

import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import tools.jackson.core.JacksonException;
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
import java.util.TreeMap;

/**
 * The catalog of golden sets: the committed ones under {@code classpath:golden/*.json}, plus any set parsed
 * from a file or a request. Parsing is strict, because a silently skipped case makes a run look better than it
 * is: unknown kinds, duplicate ids, an answer case without a reference or sources, a tool case without a tool,
 * an include of an unknown set or id are all errors that name the set and the case.
 *
 * <p>A set may take cases from others with {@code "includes": [{"set": "docs-qa", "ids": ["..."]}]} (the CI
 * subset does), so a case lives in one file only.
 */
public final class GoldenSets {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String LOCATION = "classpath*:golden/*.json";

    private final Map<String, GoldenSet> sets;

    private GoldenSets(Map<String, GoldenSet> sets) {
        this.sets = sets;
    }

    /** Loads and checks every committed set; any invalid one fails the start, naming the file. */
    public static GoldenSets committed() {
        Map<String, JsonNode> documents = new TreeMap<>();
        try {
            for (Resource resource : new PathMatchingResourcePatternResolver().getResources(LOCATION)) {
                try (InputStream in = resource.getInputStream()) {
                    JsonNode node = readTree(in.readAllBytes(), resource.getFilename());
                    documents.put(text(node, "name", resource.getFilename()), node);
                }
            }
        } catch (IOException e) {
            throw GoldenSetException.invalid(LOCATION, "cannot read: " + e.getMessage(), e);
        }
        GoldenSets catalog = new GoldenSets(new LinkedHashMap<>());
        // sets without includes first, so includes can be resolved against them
        documents.values().stream().filter(node -> !node.has("includes")).forEach(catalog::add);
        documents.values().stream().filter(node -> node.has("includes")).forEach(catalog::add);
        return catalog;
    }

    /** The committed set of this name. */
    public GoldenSet named(String name) {
        GoldenSet set = sets.get(name);
        if (set == null) {
            throw GoldenSetException.unknown(name, sets.keySet());
        }
        return set;
    }

    public List<String> names() {
        return List.copyOf(sets.keySet());
    }

    /** A set sent as JSON (a file, a request body), checked like a committed one; not added to the catalog. */
    public GoldenSet parse(byte[] json, String where) {
        return parse(readTree(json, where), where);
    }

    public GoldenSet parse(JsonNode node, String where) {
        String name = text(node, "name", where);
        int version = node.path("version").asInt(0);
        if (version < 1) {
            throw GoldenSetException.invalid(where, "'version' must be a positive integer", null);
        }
        List<GoldenCase> cases = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (JsonNode include : node.path("includes")) {
            GoldenSet from = sets.get(include.path("set").asString(""));
            if (from == null) {
                throw GoldenSetException.invalid(where, "includes unknown set '" + include.path("set").asString("")
                        + "'; known: " + sets.keySet(), null);
            }
            for (JsonNode id : include.path("ids")) {
                GoldenCase found = from.cases().stream().filter(c -> c.id().equals(id.asString())).findFirst()
                        .orElseThrow(() -> GoldenSetException.invalid(where, "set '" + from.name()
                                + "' has no case '" + id.asString() + "'", null));
                addUnique(cases, ids, found, where);
            }
        }
        for (JsonNode item : node.path("cases")) {
            addUnique(cases, ids, parseCase(item, where, node.path("tools")), where);
        }
        if (cases.isEmpty()) {
            throw GoldenSetException.invalid(where, "the set has no cases", null);
        }
        return new GoldenSet(name, version, node.path("description").asString(""), cases);
    }

    private void add(JsonNode node) {
        GoldenSet set = parse(node, "golden/" + node.path("name").asString("?") + ".json");
        sets.put(set.name(), set);
    }

    private static void addUnique(List<GoldenCase> cases, Set<String> ids, GoldenCase item, String where) {
        if (!ids.add(item.id())) {
            throw GoldenSetException.invalid(where, "duplicate case id '" + item.id() + "'", null);
        }
        cases.add(item);
    }

    @SuppressWarnings("unchecked")
    private GoldenCase parseCase(JsonNode item, String where, JsonNode setTools) {
        String id = text(item, "id", where);
        String at = where + ", case '" + id + "'";
        GoldenCase.Kind kind;
        try {
            kind = GoldenCase.Kind.parse(text(item, "kind", at));
        } catch (IllegalArgumentException e) {
            throw GoldenSetException.invalid(at, e.getMessage(), e);
        }
        List<Map<String, Object>> messages = new ArrayList<>();
        for (JsonNode message : item.path("messages")) {
            String role = message.path("role").asString("");
            if (!Set.of("system", "user", "assistant", "tool").contains(role) || !message.path("content").isString()) {
                throw GoldenSetException.invalid(at, "each message needs a role (system, user, assistant, tool) and "
                        + "text content", null);
            }
            messages.add(JSON.convertValue(message, Map.class));
        }
        if (messages.isEmpty() || !"user".equals(messages.getLast().get("role"))) {
            throw GoldenSetException.invalid(at, "'messages' must end with a user message", null);
        }
        List<List<String>> sources = new ArrayList<>();
        for (JsonNode required : item.path("sources")) {
            List<String> anyOf = new ArrayList<>();
            required.forEach(path -> anyOf.add(path.asString()));
            if (anyOf.isEmpty()) {
                throw GoldenSetException.invalid(at, "each entry of 'sources' lists at least one document path", null);
            }
            sources.add(anyOf);
        }
        String reference = item.path("reference").asString(null);
        if (kind == GoldenCase.Kind.ANSWER && (reference == null || reference.isBlank() || sources.isEmpty())) {
            throw GoldenSetException.invalid(at, "an answer case needs a 'reference' and 'sources'", null);
        }
        String tool = item.path("expectedTool").asString(null);
        if (kind == GoldenCase.Kind.TOOL_CALL && (tool == null || tool.isBlank())) {
            throw GoldenSetException.invalid(at, "a tool-call case needs an 'expectedTool'", null);
        }
        Map<String, String> arguments = new LinkedHashMap<>();
        item.path("expectedArguments").properties().forEach(e -> arguments.put(e.getKey(), e.getValue().asString()));
        List<String> tags = new ArrayList<>();
        item.path("tags").forEach(tag -> tags.add(tag.asString()));
        // tools travel with each case, so a case included in another set keeps the tools of its home set
        List<Map<String, Object>> tools = new ArrayList<>();
        setTools.forEach(t -> tools.add(JSON.convertValue(t, Map.class)));
        return new GoldenCase(id, kind, messages, reference, sources, tool, arguments, tags, tools);
    }

    private static JsonNode readTree(byte[] json, String where) {
        try {
            JsonNode node = JSON.readTree(json);
            if (node == null || !node.isObject()) {
                throw GoldenSetException.invalid(where, "a golden set is a JSON object", null);
            }
            return node;
        } catch (JacksonException e) {
            throw GoldenSetException.invalid(where, "not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static String text(JsonNode node, String field, String where) {
        String value = node.path(field).asString("");
        if (value.isBlank()) {
            throw GoldenSetException.invalid(where, "'" + field + "' is missing", null);
        }
        return value;
    }
}
