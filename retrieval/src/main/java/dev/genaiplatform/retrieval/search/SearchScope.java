package dev.genaiplatform.retrieval.search;

import dev.genaiplatform.retrieval.citation.Provenance;
import org.springframework.ai.vectorstore.filter.Filter;
import org.springframework.ai.vectorstore.filter.FilterExpressionBuilder;

import java.util.ArrayList;
import java.util.List;

/**
 * What one caller may see: their tenant's chunks (and the public corpus), in the named stores, of files open to
 * everyone in the tenant or to one of the caller's groups. It becomes a Lucene filter applied inside both legs
 * (BM25 and kNN), so a forbidden chunk is never a candidate, never ranked, never counted. A user's own search
 * filter is AND-ed beneath it and can only narrow it.
 *
 * @param tenant   from the verified token
 * @param groups   from the verified token
 * @param storeIds stores already checked to belong to the tenant (or to be public)
 */
public record SearchScope(String tenant, List<String> groups, List<String> storeIds) {

    private static final FilterExpressionBuilder WHERE = new FilterExpressionBuilder();

    public SearchScope {
        groups = List.copyOf(groups);
        storeIds = List.copyOf(storeIds);
        if (tenant == null || tenant.isBlank() || storeIds.isEmpty()) {
            throw new IllegalArgumentException("a search scope needs a tenant and at least one store");
        }
    }

    /** The access filter, with the user's filter (may be null) beneath it. */
    public Filter.Expression filter(Filter.Expression userFilter) {
        List<Object> readable = new ArrayList<>(groups);
        readable.add(Provenance.EVERYONE);
        Filter.Expression access = WHERE.and(
                WHERE.and(WHERE.in(Provenance.TENANT, tenant, Provenance.PUBLIC_TENANT),
                        WHERE.in(Provenance.VECTOR_STORE_ID, storeIds.toArray())),
                WHERE.in(Provenance.GROUPS, readable.toArray())).build();
        return userFilter == null ? access : new Filter.Expression(Filter.ExpressionType.AND, access, userFilter);
    }
}
