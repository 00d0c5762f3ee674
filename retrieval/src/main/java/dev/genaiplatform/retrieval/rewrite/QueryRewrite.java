package dev.genaiplatform.retrieval.rewrite;

import java.util.List;

/**
 * What a query became before searching.
 *
 * @param original    the query as sent
 * @param standalone  the query made to stand alone (the original when it already did, or when not rewritten)
 * @param queries     every query to search, fused afterwards: {@code standalone} first, then alternatives
 * @param rewrittenBy {@code model}, {@code rules}, or null when the query is searched as sent
 */
public record QueryRewrite(String original, String standalone, List<String> queries, String rewrittenBy) {

    public QueryRewrite {
        queries = List.copyOf(queries);
    }

    /** The query searched as sent. */
    public static QueryRewrite none(String query) {
        return new QueryRewrite(query, query, List.of(query), null);
    }
}
