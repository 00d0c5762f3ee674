package dev.genaiplatform.retrieval.search;

import dev.genaiplatform.retrieval.catalog.VectorStoreCatalog;
import dev.genaiplatform.retrieval.catalog.VectorStoreRow;
import dev.genaiplatform.retrieval.ingest.CorpusIngestor;
import dev.genaiplatform.retrieval.security.Caller;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns the stores a caller names into a {@link SearchScope}. Named stores must be the caller's tenant's own or the
 * public corpus; none named means the default: the public corpus plus the tenant's stores whose metadata says
 * {@code "default": "true"}.
 */
public final class SearchScopes {

    /** Stores named that the caller's tenant does not have (or that do not exist: the two are indistinguishable). */
    public static final class UnknownStoreException extends RuntimeException {
        private final String storeId;

        UnknownStoreException(String storeId) {
            super("No vector store found with id '" + storeId + "'");
            this.storeId = storeId;
        }

        public String storeId() {
            return storeId;
        }
    }

    /** Store metadata key: {@code "true"} or {@code "false"} turns query rewriting on or off for that store's searches. */
    public static final String REWRITE_QUERY = "rewrite_query";
    /** Store metadata key: {@code "true"} searches the store with HyDE unless the request says otherwise. */
    public static final String HYDE = "hyde";

    private final VectorStoreCatalog stores;

    public SearchScopes(VectorStoreCatalog stores) {
        this.stores = stores;
    }

    /** Every named store must be readable, else {@link UnknownStoreException}. */
    public SearchScope strict(Caller caller, List<String> storeIds) {
        if (storeIds == null || storeIds.isEmpty()) {
            return defaults(caller);
        }
        Set<String> readable = new LinkedHashSet<>();
        for (String id : storeIds) {
            if (!isReadable(caller, id)) {
                throw new UnknownStoreException(id);
            }
            readable.add(id);
        }
        return new SearchScope(caller.tenant(), caller.groups(), List.copyOf(readable));
    }

    /** Unreadable stores are dropped; if none is left the result is an empty scope (searches find nothing). */
    public SearchScope lenient(Caller caller, List<String> storeIds) {
        if (storeIds == null || storeIds.isEmpty()) {
            return defaults(caller);
        }
        List<String> readable = storeIds.stream().distinct().filter(id -> isReadable(caller, id)).toList();
        return readable.isEmpty() ? null : new SearchScope(caller.tenant(), caller.groups(), readable);
    }

    /**
     * A lenient scope and its stores' defaults for rewriting and HyDE.
     *
     * @param scope   null when none of the named stores is readable (the search finds nothing)
     */
    public record Resolved(SearchScope scope, boolean rewrite, boolean hyde) {
    }

    /**
     * {@link #lenient}, {@link #rewritesByDefault} and {@link #hydeByDefault} from one read of the tenant's stores: the
     * Kafka search path asks all three for every command, which otherwise costs a catalogue query per named store and
     * per flag (issue 13: cheap per search); the rows come from {@link VectorStoreCatalog#listForSearch}, kept between
     * searches and forgotten when the tenant's stores change.
     */
    public Resolved lenientWithDefaults(Caller caller, List<String> storeIds, boolean rewriteDefault, boolean hydeDefault) {
        Map<String, VectorStoreRow> own = new LinkedHashMap<>();
        stores.listForSearch(caller.tenant()).forEach(store -> own.put(store.id(), store)); // kept, not a query per search
        List<String> ids = new ArrayList<>();
        if (storeIds == null || storeIds.isEmpty()) {
            ids.add(CorpusIngestor.PUBLIC_STORE_ID);
            own.values().stream().filter(SearchScopes::isDefault).map(VectorStoreRow::id).forEach(ids::add);
        } else {
            storeIds.stream().distinct().filter(id -> CorpusIngestor.PUBLIC_STORE_ID.equals(id) || own.containsKey(id)).forEach(ids::add);
        }
        if (ids.isEmpty()) {
            return new Resolved(null, false, false);
        }
        SearchScope scope = new SearchScope(caller.tenant(), caller.groups(), ids);
        return new Resolved(scope, flag(own, ids, REWRITE_QUERY, rewriteDefault), flag(own, ids, HYDE, hydeDefault));
    }

    /** The first searched store (in order) whose metadata has the key decides; else the default. */
    private static boolean flag(Map<String, VectorStoreRow> own, List<String> ids, String key, boolean serviceDefault) {
        for (String id : ids) {
            VectorStoreRow store = own.get(id);
            if (store != null && store.metadata().containsKey(key)) {
                return "true".equals(String.valueOf(store.metadata().get(key)));
            }
        }
        return serviceDefault;
    }

    /** Every store the caller's tenant can read, the public corpus included: where a cited chunk may be. */
    public SearchScope everyReadableStore(Caller caller) {
        List<String> ids = new ArrayList<>();
        ids.add(CorpusIngestor.PUBLIC_STORE_ID);
        stores.list(caller.tenant()).stream().map(VectorStoreRow::id).forEach(ids::add);
        return new SearchScope(caller.tenant(), caller.groups(), ids);
    }

    /**
     * Whether a search of this scope rewrites its query when the request does not say: when one of its stores has
     * {@code metadata.rewrite_query = "true"}, or else the service default.
     */
    public boolean rewritesByDefault(Caller caller, SearchScope scope, boolean serviceDefault) {
        return storeFlag(caller, scope, REWRITE_QUERY, serviceDefault);
    }

    /** Whether a search of this scope uses HyDE when the request does not say: {@code metadata.hyde}, else the default. */
    public boolean hydeByDefault(Caller caller, SearchScope scope, boolean serviceDefault) {
        return storeFlag(caller, scope, HYDE, serviceDefault);
    }

    private boolean storeFlag(Caller caller, SearchScope scope, String key, boolean serviceDefault) {
        for (String id : scope.storeIds()) {
            var store = CorpusIngestor.PUBLIC_STORE_ID.equals(id) ? null : stores.find(caller.tenant(), id).orElse(null);
            if (store != null && store.metadata().containsKey(key)) {
                return "true".equals(String.valueOf(store.metadata().get(key)));
            }
        }
        return serviceDefault;
    }

    private SearchScope defaults(Caller caller) {
        List<String> ids = new ArrayList<>();
        ids.add(CorpusIngestor.PUBLIC_STORE_ID);
        stores.list(caller.tenant()).stream().filter(SearchScopes::isDefault).map(VectorStoreRow::id).forEach(ids::add);
        return new SearchScope(caller.tenant(), caller.groups(), ids);
    }

    private boolean isReadable(Caller caller, String storeId) {
        return CorpusIngestor.PUBLIC_STORE_ID.equals(storeId) || stores.find(caller.tenant(), storeId).isPresent();
    }

    private static boolean isDefault(VectorStoreRow store) {
        return "true".equals(String.valueOf(store.metadata().get("default")));
    }
}
