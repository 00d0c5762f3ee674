package dev.genaiplatform.simulator.answer;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import java.util.Optional;

/**
 * Breaks a valid structured answer the way real models do when they drift from a schema, for the
 * {@code schema-violation} fault: the result is still well-formed JSON, but it fails the schema. In order
 * of preference:
 * <ol>
 *   <li>an object with required properties loses the first one;</li>
 *   <li>an object that forbids additional properties gets one ({@code "unexpected"});</li>
 *   <li>an object's first declared property gets a value of the wrong type;</li>
 *   <li>any other value is replaced by one of the wrong type.</li>
 * </ol>
 * A schema that accepts anything (no type, no properties) cannot be violated: the answer stays as it is.
 */
public final class SchemaViolation {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private SchemaViolation() {
    }

    /** The broken instance, or empty when nothing in the schema can be violated. */
    public static Optional<JsonNode> of(JsonNode schema, JsonNode validInstance) {
        JsonNode root = resolve(schema, schema);
        if (validInstance.isObject() && "object".equals(typeOf(root))) {
            ObjectNode broken = ((ObjectNode) validInstance).deepCopy();
            JsonNode required = root.path("required");
            if (required.isArray() && !required.isEmpty()) {
                broken.remove(required.get(0).asString());
                return Optional.of(broken);
            }
            if (root.path("additionalProperties").isBoolean() && !root.get("additionalProperties").asBoolean()) {
                broken.put("unexpected", "a property the schema does not allow");
                return Optional.of(broken);
            }
            var properties = root.path("properties").properties().iterator();
            while (properties.hasNext()) {
                var property = properties.next();
                Optional<JsonNode> wrong = wrongTypeFor(resolve(schema, property.getValue()));
                if (wrong.isPresent()) {
                    broken.set(property.getKey(), wrong.get());
                    return Optional.of(broken);
                }
            }
            return Optional.empty();
        }
        return wrongTypeFor(root);
    }

    /** A value whose JSON type the schema does not allow; empty for a schema without a type. */
    static Optional<JsonNode> wrongTypeFor(JsonNode schema) {
        if (schema.has("const") || schema.has("enum")) {
            return Optional.of(NODES.stringNode("\u0000not an allowed value"));
        }
        String type = typeOf(schema);
        if (type == null) {
            return Optional.empty();
        }
        return Optional.of(switch (type) {
            case "string" -> NODES.numberNode(42);
            case "integer", "number" -> NODES.stringNode("forty-two");
            case "boolean" -> NODES.stringNode("true");
            case "array" -> NODES.objectNode();
            case "null" -> NODES.stringNode("null");
            default -> NODES.arrayNode();
        });
    }

    /** The schema's single type; for a union such as {@code ["string","null"]} the first one, or null. */
    private static String typeOf(JsonNode schema) {
        JsonNode type = schema.get("type");
        if (type == null) {
            return null;
        }
        if (type.isArray()) {
            return type.isEmpty() || type.size() > 1 ? null : type.get(0).asString();
        }
        return type.asString();
    }

    private static JsonNode resolve(JsonNode root, JsonNode schema) {
        JsonNode current = schema;
        for (int hops = 0; hops < 16 && current.has("$ref"); hops++) {
            current = root.at(current.get("$ref").asString().substring(1));
        }
        return current;
    }
}
