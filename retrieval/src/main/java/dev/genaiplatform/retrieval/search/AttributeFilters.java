package dev.genaiplatform.retrieval.search;

import dev.genaiplatform.retrieval.citation.Provenance;
import dev.genaiplatform.retrieval.ingest.AttributeValues;
import org.springframework.ai.vectorstore.filter.Filter;

import java.util.List;
import java.util.Map;

/**
 * OpenAI's search {@code filters} as a Spring AI filter over file attributes only. A comparison
 * {@code {"type":"eq","key":"region","value":"emea"}} (eq, ne, in, nin) or a compound
 * {@code {"type":"and"|"or","filters":[...]}}. Keys are always attribute keys ({@code attr.region} in the index),
 * so no filter can name the tenant, store or group fields; and the result is AND-ed beneath the access filter
 * ({@link SearchScope}), so an {@code or} cannot widen it. Range comparisons (gt, gte, lt, lte) are refused:
 * attributes are indexed as keywords. At most {@value #MAX_DEPTH} levels and {@value #MAX_NODES} conditions.
 */
public final class AttributeFilters {

    static final int MAX_DEPTH = 5;
    static final int MAX_NODES = 50;

    private AttributeFilters() {
    }

    /** The filter, or null for no filter; {@link IllegalArgumentException} says what is malformed. */
    public static Filter.Expression parse(Object filters) {
        if (filters == null) {
            return null;
        }
        return parse(filters, 1, new int[] {0});
    }

    private static Filter.Expression parse(Object node, int depth, int[] nodes) {
        if (!(node instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException("a filter must be an object with a 'type'");
        }
        if (depth > MAX_DEPTH || ++nodes[0] > MAX_NODES) {
            throw new IllegalArgumentException("filters may nest " + MAX_DEPTH + " levels and hold " + MAX_NODES + " conditions at most");
        }
        String type = map.get("type") instanceof String t ? t : "";
        return switch (type) {
            case "and", "or" -> compound(map, type, depth, nodes);
            case "eq", "ne" -> new Filter.Expression("eq".equals(type) ? Filter.ExpressionType.EQ : Filter.ExpressionType.NE,
                    key(map), new Filter.Value(scalar(map.get("value"))));
            case "in", "nin" -> new Filter.Expression("in".equals(type) ? Filter.ExpressionType.IN : Filter.ExpressionType.NIN,
                    key(map), new Filter.Value(list(map.get("value"))));
            case "gt", "gte", "lt", "lte" -> throw new IllegalArgumentException(
                    "'" + type + "' is not supported: attributes are compared for equality only (eq, ne, in, nin)");
            default -> throw new IllegalArgumentException("unknown filter type '" + type + "': use eq, ne, in, nin, and, or");
        };
    }

    private static Filter.Expression compound(Map<?, ?> map, String type, int depth, int[] nodes) {
        if (!(map.get("filters") instanceof List<?> children) || children.isEmpty()) {
            throw new IllegalArgumentException("'" + type + "' needs a non-empty 'filters' array");
        }
        Filter.Expression result = null;
        for (Object child : children) {
            Filter.Expression parsed = parse(child, depth + 1, nodes);
            result = result == null ? parsed : new Filter.Expression(
                    "and".equals(type) ? Filter.ExpressionType.AND : Filter.ExpressionType.OR, result, parsed);
        }
        return result;
    }

    private static Filter.Key key(Map<?, ?> map) {
        if (!(map.get("key") instanceof String key) || key.isBlank() || key.length() > 64) {
            throw new IllegalArgumentException("a comparison needs a 'key' (1 to 64 characters)");
        }
        return new Filter.Key(Provenance.ATTRIBUTE_PREFIX + key);
    }

    private static String scalar(Object value) {
        if (value instanceof String || value instanceof Number || value instanceof Boolean) {
            return AttributeValues.normalise(value);
        }
        throw new IllegalArgumentException("a comparison 'value' must be a string, number or boolean");
    }

    private static List<String> list(Object value) {
        if (!(value instanceof List<?> values) || values.isEmpty() || values.size() > MAX_NODES) {
            throw new IllegalArgumentException("'in' and 'nin' need a 'value' array of 1 to " + MAX_NODES + " items");
        }
        return values.stream().map(AttributeFilters::scalar).toList();
    }
}
