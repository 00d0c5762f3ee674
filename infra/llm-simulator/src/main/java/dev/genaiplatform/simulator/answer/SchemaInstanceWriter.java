package dev.genaiplatform.simulator.answer;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.Set;
import java.util.UUID;

/**
 * Writes a JSON value that validates against a JSON schema, taking strings, numbers and booleans from a
 * {@link SchemaValues} and bending them to the schema's constraints (enum, const, ranges, lengths, item
 * counts, formats). It supports the subset OpenAI's structured outputs support, minus {@code pattern}
 * (a string matching an arbitrary regular expression cannot be written reliably):
 * {@link #check} names whatever else a schema uses.
 */
final class SchemaInstanceWriter {

    /** Keywords that describe or constrain a value in ways the writer honours (or that need no honouring). */
    private static final Set<String> SUPPORTED = Set.of("type", "properties", "required", "additionalProperties",
            "items", "enum", "const", "anyOf", "$ref", "$defs", "definitions", "description", "title", "default",
            "examples", "minItems", "maxItems", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
            "multipleOf", "minLength", "maxLength", "format", "$schema", "$id", "$comment", "strict");
    private static final Set<String> TYPES = Set.of("string", "number", "integer", "boolean", "object", "array",
            "null");
    private static final Map<String, String> FORMATS = Map.of("date-time", "2026-01-01T00:00:00Z",
            "date", "2026-01-01", "time", "12:00:00Z", "email", "answer@example.com", "hostname", "example.com",
            "ipv4", "127.0.0.1", "ipv6", "::1", "uri", "https://example.com/", "duration", "PT1S");
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");
    /** Deeper than this, only required properties and minItems items are written, so recursion ends. */
    private static final int SHALLOW_AFTER = 6;
    private static final int MAX_DEPTH = 64;
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** Declines every value, so a dry run writes only what the schema itself demands. */
    private static final SchemaValues NO_VALUES = new SchemaValues() {
        @Override
        public String string(String property, int index) {
            return "";
        }

        @Override
        public OptionalDouble number(String property, int index) {
            return OptionalDouble.empty();
        }

        @Override
        public boolean bool(String property) {
            return false;
        }

        @Override
        public int items(String property) {
            return 0;
        }
    };

    private final JsonNode root;
    private final SchemaValues values;
    private final boolean requiredOnly;

    private SchemaInstanceWriter(JsonNode root, SchemaValues values, boolean requiredOnly) {
        this.root = root;
        this.values = values;
        this.requiredOnly = requiredOnly;
    }

    /**
     * A value valid against {@code schema}. With {@code requiredOnly} an object gets only its required
     * properties (tool arguments); otherwise every declared property (structured output).
     */
    static JsonNode write(JsonNode schema, SchemaValues values, boolean requiredOnly) {
        return new SchemaInstanceWriter(schema, values, requiredOnly).value(schema, "", 0, 0);
    }

    /** Throws {@link UnsupportedSchemaException} for a schema {@link #write} cannot promise to satisfy. */
    static void check(JsonNode schema) {
        check(schema, "schema", schema);
        tryWrite(schema, false);
    }

    /**
     * Writes a throw-away instance, so a schema the writer cannot satisfy (one that nests without end, a
     * broken reference, a zero {@code multipleOf}) is refused up front instead of failing a request later.
     */
    static void tryWrite(JsonNode schema, boolean requiredOnly) {
        try {
            write(schema, NO_VALUES, requiredOnly);
        } catch (UnsupportedSchemaException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new UnsupportedSchemaException("No value can be written for this schema: " + e.getMessage());
        }
    }

    private static void check(JsonNode root, String path, JsonNode schema) {
        if (!schema.isObject()) {
            if (schema.isBoolean() && path.endsWith("additionalProperties")) {
                return;
            }
            throw new UnsupportedSchemaException("Invalid schema at '" + path + "': expected an object.");
        }
        checkBounds(schema, path);
        for (Map.Entry<String, JsonNode> entry : schema.properties()) {
            String keyword = entry.getKey();
            JsonNode value = entry.getValue();
            String at = path + "." + keyword;
            if (!SUPPORTED.contains(keyword)) {
                throw new UnsupportedSchemaException("The schema keyword '" + keyword + "' (at '" + path
                        + "') is not supported by the simulator. Supported keywords: " + String.join(", ",
                        SUPPORTED.stream().sorted().toList()) + ".");
            }
            switch (keyword) {
                case "type" -> {
                    List<JsonNode> types = value.isArray() ? List.copyOf(value.values()) : List.of(value);
                    for (JsonNode type : types) {
                        if (!type.isString() || !TYPES.contains(type.stringValue())) {
                            throw new UnsupportedSchemaException("Invalid type at '" + at + "': " + type + ".");
                        }
                    }
                }
                case "properties", "$defs", "definitions" -> {
                    if (!value.isObject()) {
                        throw new UnsupportedSchemaException("'" + at + "' must be an object.");
                    }
                    for (Map.Entry<String, JsonNode> property : value.properties()) {
                        check(root, at + "." + property.getKey(), property.getValue());
                    }
                }
                case "required" -> {
                    JsonNode properties = schema.path("properties");
                    for (JsonNode name : value.isArray() ? value.values() : List.<JsonNode>of(value)) {
                        if (!name.isString() || !properties.has(name.stringValue())) {
                            throw new UnsupportedSchemaException("'" + at + "' names " + name
                                    + ", which is not defined in 'properties'.");
                        }
                    }
                }
                case "items", "additionalProperties" -> check(root, at, value);
                case "anyOf" -> {
                    if (!value.isArray() || value.isEmpty()) {
                        throw new UnsupportedSchemaException("'" + at + "' must be a non-empty array.");
                    }
                    int i = 0;
                    for (JsonNode branch : value.values()) {
                        check(root, at + "[" + i++ + "]", branch);
                    }
                }
                case "$ref" -> resolve(root, value);
                case "format" -> {
                    if (!value.isString() || !FORMATS.containsKey(value.stringValue())
                            && !"uuid".equals(value.stringValue())) {
                        throw new UnsupportedSchemaException("The string format '" + value + "' (at '"
                                + path + "') is not supported by the simulator. Supported formats: uuid, "
                                + String.join(", ", FORMATS.keySet().stream().sorted().toList()) + ".");
                    }
                }
                case "enum" -> {
                    if (!value.isArray() || value.isEmpty()) {
                        throw new UnsupportedSchemaException("'" + at + "' must be a non-empty array.");
                    }
                }
                case "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum" -> {
                    if (!value.isNumber()) {
                        throw new UnsupportedSchemaException("'" + at + "' must be a number.");
                    }
                }
                case "multipleOf" -> {
                    if (!value.isNumber() || value.decimalValue().signum() <= 0) {
                        throw new UnsupportedSchemaException("'" + at + "' must be a number above 0.");
                    }
                }
                case "minItems", "maxItems", "minLength", "maxLength" -> {
                    if (!value.isIntegralNumber() || !value.canConvertToInt() || value.intValue() < 0) {
                        throw new UnsupportedSchemaException("'" + at + "' must be a non-negative integer.");
                    }
                }
                default -> {
                    // descriptive keywords need no checking
                }
            }
        }
    }

    /** Bounds that no value can meet, e.g. minItems 3 with maxItems 2. */
    private static void checkBounds(JsonNode schema, String path) {
        for (String[] pair : new String[][] {{"minItems", "maxItems"}, {"minLength", "maxLength"},
                {"minimum", "maximum"}}) {
            JsonNode low = schema.get(pair[0]);
            JsonNode high = schema.get(pair[1]);
            if (low != null && high != null && low.isNumber() && high.isNumber()
                    && low.decimalValue().compareTo(high.decimalValue()) > 0) {
                throw new UnsupportedSchemaException("No value satisfies '" + path + "': " + pair[0] + " " + low
                        + " is above " + pair[1] + " " + high + ".");
            }
        }
    }

    private static JsonNode resolve(JsonNode root, JsonNode ref) {
        if (!ref.isString()) {
            throw new UnsupportedSchemaException("'$ref' must be a string, not " + ref + ".");
        }
        String pointer = ref.stringValue();
        if (!pointer.startsWith("#")) {
            throw new UnsupportedSchemaException("Only local references (#/$defs/...) are supported, not '" + pointer
                    + "'.");
        }
        JsonNode target = root.at(pointer.substring(1));
        if (target.isMissingNode()) {
            throw new UnsupportedSchemaException("The reference '" + pointer + "' does not resolve.");
        }
        return target;
    }

    private JsonNode value(JsonNode schema, String property, int index, int depth) {
        if (depth > MAX_DEPTH) {
            throw new UnsupportedSchemaException("The schema nests without end: every instance would be infinite.");
        }
        if (schema.has("$ref")) {
            return value(resolve(root, schema.get("$ref")), property, index, depth + 1);
        }
        if (schema.has("const")) {
            return schema.get("const");
        }
        if (schema.has("enum")) {
            return pickEnum(schema.get("enum"), values.string(property, index));
        }
        if (schema.has("anyOf")) {
            return value(firstNonNull(schema.get("anyOf")), property, index, depth + 1);
        }
        return switch (type(schema)) {
            case "object" -> object(schema, depth);
            case "array" -> array(schema, property, depth);
            case "integer", "number" -> number(schema, property, index);
            case "boolean" -> NODES.booleanNode(values.bool(property));
            case "null" -> NODES.nullNode();
            default -> NODES.stringNode(string(schema, property, index));
        };
    }

    private static String type(JsonNode schema) {
        JsonNode type = schema.get("type");
        if (type == null) {
            return schema.has("properties") ? "object" : schema.has("items") ? "array" : "string";
        }
        if (type.isArray()) {
            for (JsonNode t : type.values()) {
                if (!"null".equals(t.asString())) {
                    return t.asString();
                }
            }
            return "null";
        }
        return type.asString();
    }

    private static JsonNode firstNonNull(JsonNode branches) {
        for (JsonNode branch : branches.values()) {
            JsonNode type = branch.path("type");
            if (!type.isString() || !"null".equals(type.stringValue())) {
                return branch;
            }
        }
        return branches.get(0);
    }

    private static JsonNode pickEnum(JsonNode options, String hint) {
        String lower = hint == null ? "" : hint.toLowerCase(Locale.ROOT);
        for (JsonNode option : options.values()) {
            if (option.isString() && !option.stringValue().isEmpty()
                    && lower.contains(option.stringValue().toLowerCase(Locale.ROOT))) {
                return option;
            }
        }
        return options.get(0);
    }

    private ObjectNode object(JsonNode schema, int depth) {
        ObjectNode object = NODES.objectNode();
        Set<String> required = new HashSet<>();
        schema.path("required").values().forEach(name -> required.add(name.asString()));
        boolean shallow = requiredOnly || depth >= SHALLOW_AFTER;
        for (Map.Entry<String, JsonNode> property : schema.path("properties").properties()) {
            if (!shallow || required.contains(property.getKey())) {
                object.set(property.getKey(), value(property.getValue(), property.getKey(), 0, depth + 1));
            }
        }
        return object;
    }

    private ArrayNode array(JsonNode schema, String property, int depth) {
        int min = schema.path("minItems").asInt(0);
        int max = schema.has("maxItems") ? schema.get("maxItems").asInt() : Integer.MAX_VALUE;
        int count = depth >= SHALLOW_AFTER ? min : Math.max(min, Math.min(max, values.items(property)));
        JsonNode items = schema.has("items") && schema.get("items").isObject() ? schema.get("items") : NODES.objectNode();
        ArrayNode array = NODES.arrayNode();
        for (int i = 0; i < count; i++) {
            array.add(value(items, property, i, depth + 1));
        }
        return array;
    }

    private JsonNode number(JsonNode schema, String property, int index) {
        boolean integer = "integer".equals(type(schema));
        BigDecimal low = bound(schema, "minimum", "exclusiveMinimum", integer, true);
        BigDecimal high = bound(schema, "maximum", "exclusiveMaximum", integer, false);
        OptionalDouble wanted = values.number(property, index);
        BigDecimal v = wanted.isPresent() ? BigDecimal.valueOf(wanted.getAsDouble())
                : low != null ? low : BigDecimal.ZERO;
        if (integer) {
            v = v.setScale(0, RoundingMode.HALF_UP);
        }
        if (low != null && v.compareTo(low) < 0) {
            v = low;
        }
        if (high != null && v.compareTo(high) > 0) {
            v = high;
        }
        if (schema.has("multipleOf")) {
            BigDecimal step = schema.get("multipleOf").decimalValue();
            BigDecimal up = v.divide(step, 0, RoundingMode.CEILING).multiply(step);
            v = high != null && up.compareTo(high) > 0 ? v.divide(step, 0, RoundingMode.FLOOR).multiply(step) : up;
        }
        return integer ? NODES.numberNode(v.toBigInteger()) : NODES.numberNode(v.stripTrailingZeros());
    }

    /** The tightest inclusive bound; an exclusive one is moved inwards by 1 (integers) or a small step. */
    private static BigDecimal bound(JsonNode schema, String inclusive, String exclusive, boolean integer, boolean lower) {
        BigDecimal result = schema.has(inclusive) ? schema.get(inclusive).decimalValue() : null;
        if (schema.has(exclusive) && schema.get(exclusive).isNumber()) {
            BigDecimal step = integer ? BigDecimal.ONE : new BigDecimal("0.001");
            BigDecimal e = schema.get(exclusive).decimalValue();
            e = lower ? (integer ? e.setScale(0, RoundingMode.FLOOR).add(step) : e.add(step))
                    : (integer ? e.setScale(0, RoundingMode.CEILING).subtract(step) : e.subtract(step));
            result = result == null || (lower ? e.compareTo(result) > 0 : e.compareTo(result) < 0) ? e : result;
        }
        if (result != null && integer) {
            result = result.setScale(0, lower ? RoundingMode.CEILING : RoundingMode.FLOOR);
        }
        return result;
    }

    private String string(JsonNode schema, String property, int index) {
        String format = schema.path("format").isString() ? schema.get("format").stringValue() : "";
        Optional<String> fitting = fitting(schema, format, index);
        if (fitting.isPresent()) {
            return fitting.get();
        }
        String text = values.string(property, index);
        if ("uuid".equals(format)) {
            text = UUID.nameUUIDFromBytes((property + index + text).getBytes(StandardCharsets.UTF_8)).toString();
        } else if (FORMATS.containsKey(format)) {
            text = FORMATS.get(format);
        }
        int min = schema.path("minLength").asInt(0);
        int max = schema.has("maxLength") ? schema.get("maxLength").asInt() : Integer.MAX_VALUE;
        if (text.codePointCount(0, text.length()) > max) {
            text = text.substring(0, text.offsetByCodePoints(0, max));
        }
        StringBuilder padded = new StringBuilder(text);
        while (padded.codePointCount(0, padded.length()) < min) {
            padded.append('.');
        }
        return padded.toString();
    }

    /**
     * A value the source itself offers for a constrained string: what the schema's {@code pattern} accepts, or
     * an e-mail address for {@code format: email}. A real model copies "ada@example.com" or "HO-123456" out of
     * the request rather than inventing one; only when the source has none does the writer fall back.
     */
    private Optional<String> fitting(JsonNode schema, String format, int index) {
        Pattern wanted = null;
        if (schema.path("pattern").isString()) {
            try {
                wanted = Pattern.compile(schema.get("pattern").stringValue());
            } catch (PatternSyntaxException e) {
                return Optional.empty();
            }
        } else if ("email".equals(format)) {
            wanted = EMAIL;
        }
        if (wanted == null) {
            return Optional.empty();
        }
        int max = schema.has("maxLength") ? schema.get("maxLength").asInt() : Integer.MAX_VALUE;
        int min = schema.path("minLength").asInt(0);
        return values.matching(wanted, index)
                .filter(found -> found.codePointCount(0, found.length()) <= max
                        && found.codePointCount(0, found.length()) >= min);
    }
}
