package dev.genaiplatform.gateway.tenant;

import java.sql.Array;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The per-tenant user directory: which access groups an end user (the {@code X-User-Id} a client names) belongs to,
 * so the internal token can carry them in {@code groups} (retrieval's document-level permissions). Rows are written
 * through the admin API. The request path asks {@link #groups} — from memory when the answer is younger than
 * {@code ttl}, from PostgreSQL on a worker thread (never the event loop) when not. "No such user" is cached too, so
 * a client naming many unknown users costs one indexed query per user per ttl. A write on this instance evicts at
 * once; another instance may keep the old answer up to {@code ttl}.
 */
public final class UserGroups {

    /** The user ids the gateway forwards ({@code usr}) and so the ones the directory can hold. */
    public static final Pattern USER_ID = Pattern.compile("[A-Za-z0-9._:@+-]{1,128}");

    /** Conservative: no comma (retrieval's {@code access_groups} form field is comma separated), no space. */
    public static final Pattern GROUP = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:@-]{0,63}");

    public static final int MAX_GROUPS = 64;

    private final JdbcClient jdbc;

    private final Cache<CacheKey, List<String>> cache;

    public UserGroups(JdbcClient jdbc, Duration ttl, long maximumEntries) {
        this.jdbc = jdbc;
        this.cache = Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(maximumEntries).build();
    }

    /** The user's groups in this tenant; empty when the user has no row (or no groups): no claim, fail closed. */
    public Mono<List<String>> groups(String tenantId, String userId) {
        CacheKey key = new CacheKey(tenantId, userId);
        List<String> cached = cache.getIfPresent(key);
        if (cached != null) {
            return Mono.just(cached);
        }
        return Mono.fromCallable(() -> find(tenantId, userId).orElse(List.of()))
            .subscribeOn(Schedulers.boundedElastic())
            .doOnNext(groups -> cache.put(key, groups));
    }

    /** The stored row, read from the database (the admin API's view, never the cache). */
    public Optional<List<String>> find(String tenantId, String userId) {
        return jdbc.sql("select groups from tenant_user where tenant_id = ? and user_id = ?")
            .params(tenantId, userId)
            .query((rs, row) -> strings(rs.getArray("groups")))
            .optional();
    }

    /**
     * Creates or replaces the user's groups.
     *
     * @return false if there is no such tenant (nothing written)
     */
    public boolean put(String tenantId, String userId, List<String> groups) {
        int written = jdbc.sql("""
                insert into tenant_user (tenant_id, user_id, groups)
                select id, ?, string_to_array(?, ',') from tenant where id = ?
                on conflict (tenant_id, user_id) do update set groups = excluded.groups, updated_at = now()""")
            .params(userId, String.join(",", groups), tenantId)
            .update();
        cache.invalidate(new CacheKey(tenantId, userId));
        return written == 1;
    }

    /** @return false if there was no such row */
    public boolean delete(String tenantId, String userId) {
        int deleted = jdbc.sql("delete from tenant_user where tenant_id = ? and user_id = ?")
            .params(tenantId, userId)
            .update();
        cache.invalidate(new CacheKey(tenantId, userId));
        return deleted == 1;
    }

    private static List<String> strings(Array array) throws SQLException {
        return array == null ? List.of() : List.copyOf(Arrays.asList((String[]) array.getArray()));
    }

    private record CacheKey(String tenantId, String userId) {
    }
}
