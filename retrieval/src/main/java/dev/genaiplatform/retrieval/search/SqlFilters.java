package dev.genaiplatform.retrieval.search;

import org.springframework.ai.vectorstore.filter.Filter;
import tools.jackson.databind.json.JsonMapper;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Spring AI filter expressions as a SQL condition over a {@code keywords jsonb} column that maps every string
 * metadata key to the array of its values ({@code {"tenant":["t1"],"groups":["*","hr"]}}). {@code key == 'v'} becomes
 * {@code keywords @> '{"key":["v"]}'}, which a GIN {@code jsonb_path_ops} index answers, and means "one of the
 * key's values is v": the same semantics as {@link LuceneFilters} (a multi-valued keyword field), so an access
 * filter reads the same on both stores. Range operators and non-string values are refused, as there.
 */
final class SqlFilters {

    /** A condition with {@code ?} parameter markers and their values (JSON text, to be cast to jsonb). */
    record Condition(String sql, List<Object> parameters) {
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private SqlFilters() {
    }

    static Condition toCondition(Filter.Expression expression, String column) {
        List<Object> parameters = new ArrayList<>();
        String sql = toSql(expression, column, parameters);
        return new Condition(sql, parameters);
    }

    private static String toSql(Filter.Operand operand, String column, List<Object> parameters) {
        if (operand instanceof Filter.Group group) {
            return toSql(group.content(), column, parameters);
        }
        if (!(operand instanceof Filter.Expression expression)) {
            throw new IllegalArgumentException("Unsupported filter operand: " + operand);
        }
        return switch (expression.type()) {
            case AND -> "(" + toSql(expression.left(), column, parameters) + " and " + toSql(expression.right(), column, parameters) + ")";
            case OR -> "(" + toSql(expression.left(), column, parameters) + " or " + toSql(expression.right(), column, parameters) + ")";
            case NOT -> "(not " + toSql(expression.left(), column, parameters) + ")";
            case EQ -> contains(column, key(expression), string(value(expression)), parameters);
            case NE -> "(not " + contains(column, key(expression), string(value(expression)), parameters) + ")";
            case IN -> anyOf(column, expression, parameters);
            case NIN -> "(not " + anyOf(column, expression, parameters) + ")";
            default -> throw new IllegalArgumentException("Unsupported filter operator " + expression.type()
                    + ": use ==, !=, in, nin, &&, || or NOT on string metadata");
        };
    }

    private static String anyOf(String column, Filter.Expression expression, List<Object> parameters) {
        if (!(value(expression) instanceof List<?> values)) {
            throw new IllegalArgumentException("'in' needs a list of values");
        }
        if (values.isEmpty()) {
            return "false";
        }
        String key = key(expression);
        List<String> alternatives = new ArrayList<>();
        values.forEach(value -> alternatives.add(contains(column, key, string(value), parameters)));
        return "(" + String.join(" or ", alternatives) + ")";
    }

    private static String contains(String column, String key, String value, List<Object> parameters) {
        parameters.add(JSON.writeValueAsString(Map.of(key, List.of(value))));
        return column + " @> cast(? as jsonb)";
    }

    private static Object value(Filter.Expression expression) {
        return ((Filter.Value) expression.right()).value();
    }

    private static String key(Filter.Expression expression) {
        if (expression.left() instanceof Filter.Key key) {
            return key.key().replaceAll("^[\"']|[\"']$", "");
        }
        throw new IllegalArgumentException("Expected a metadata key on the left of " + expression.type());
    }

    private static String string(Object value) {
        if (value instanceof String text) {
            return text;
        }
        throw new IllegalArgumentException("Only string metadata can be filtered on, not " + value);
    }
}
