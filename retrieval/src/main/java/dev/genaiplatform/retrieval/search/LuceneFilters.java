package dev.genaiplatform.retrieval.search;

import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;
import org.springframework.ai.vectorstore.filter.Filter;

import java.util.List;

/**
 * Spring AI filter expressions ({@code documentPath == 'architecture.md'}) as Lucene queries. Supported: EQ, NE,
 * IN, NIN on string metadata, combined with AND, OR, NOT and parentheses. Only string metadata is indexed as a
 * keyword, so comparisons on numbers (offsets) and range operators are refused rather than silently matching
 * nothing.
 */
final class LuceneFilters {

    private LuceneFilters() {
    }

    static Query toQuery(Filter.Operand operand) {
        if (operand instanceof Filter.Group group) {
            return toQuery(group.content());
        }
        if (!(operand instanceof Filter.Expression expression)) {
            throw new IllegalArgumentException("Unsupported filter operand: " + operand);
        }
        return switch (expression.type()) {
            case AND -> new BooleanQuery.Builder()
                    .add(toQuery(expression.left()), Occur.FILTER)
                    .add(toQuery(expression.right()), Occur.FILTER).build();
            case OR -> new BooleanQuery.Builder()
                    .add(toQuery(expression.left()), Occur.SHOULD)
                    .add(toQuery(expression.right()), Occur.SHOULD).build();
            case NOT -> not(toQuery(expression.left()));
            case EQ -> term(expression);
            case NE -> not(term(expression));
            case IN -> anyOf(expression);
            case NIN -> not(anyOf(expression));
            default -> throw new IllegalArgumentException("Unsupported filter operator " + expression.type()
                    + ": use ==, !=, in, nin, &&, || or NOT on string metadata");
        };
    }

    private static Query term(Filter.Expression expression) {
        return new TermQuery(new Term(LuceneHybridVectorStore.metadataField(key(expression)),
                string(((Filter.Value) expression.right()).value())));
    }

    private static Query anyOf(Filter.Expression expression) {
        String field = LuceneHybridVectorStore.metadataField(key(expression));
        if (!(((Filter.Value) expression.right()).value() instanceof List<?> values)) {
            throw new IllegalArgumentException("'in' needs a list of values");
        }
        BooleanQuery.Builder any = new BooleanQuery.Builder();
        values.forEach(value -> any.add(new TermQuery(new Term(field, string(value))), Occur.SHOULD));
        return any.build();
    }

    private static Query not(Query query) {
        return new BooleanQuery.Builder()
                .add(MatchAllDocsQuery.INSTANCE, Occur.FILTER)
                .add(query, Occur.MUST_NOT).build();
    }

    private static String key(Filter.Expression expression) {
        if (expression.left() instanceof Filter.Key key) {
            // the expression parser keeps quotes around keys written as 'documentPath'
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
