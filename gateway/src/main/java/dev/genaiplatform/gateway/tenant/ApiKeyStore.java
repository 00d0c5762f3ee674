package dev.genaiplatform.gateway.tenant;

import java.security.SecureRandom;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonProperty;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Tenants and API keys in PostgreSQL (schema: {@code db/migration/V1__tenants_and_api_keys.sql}). A key is
 * stored as its SHA-256 only; the key itself exists once, in the answer that issues it. Blocking JDBC: callers
 * on the event loop go through {@link ApiKeyCache}, which runs these on a worker thread.
 */
public final class ApiKeyStore {

    /** A new key: a prefix that says what it is, then 256 random bits. */
    static final String KEY_PREFIX = "sk-gp-";

    private static final SecureRandom RANDOM = new SecureRandom();

    private final JdbcClient jdbc;

    private final TransactionTemplate transactions;

    public ApiKeyStore(JdbcClient jdbc, TransactionTemplate transactions) {
        this.jdbc = jdbc;
        this.transactions = transactions;
    }

    /** The active (not revoked) key with this hash, with its tenant and effective models. */
    public Optional<ApiKey> findActiveByHash(String sha256Hex) {
        return jdbc.sql("""
                select k.id, k.scopes, k.models, t.id as tenant_id, t.models as tenant_models,
                       t.replenish_rate, t.burst_capacity, t.requested_tokens,
                       t.tokens_per_minute, t.tokens_per_day, t.cost_per_month_micros
                from api_key k join tenant t on t.id = k.tenant_id
                where k.key_sha256 = ? and k.revoked_at is null""")
            .param(sha256Hex)
            .query((rs, row) -> apiKey(rs))
            .optional();
    }

    /**
     * Writes the configured tenants and keys. Configuration is the truth for the tenants it names. A configured
     * key whose value changed (a new {@code PLATFORM_DEMO_API_KEY}) replaces the key of the same name, which is
     * revoked; a configured key that was revoked through the admin API stays revoked.
     *
     * @return the ids of the keys this revoked
     */
    public List<RevokedKey> seed(TenantDirectory configured) {
        return transactions.execute(status -> {
            for (Tenant tenant : configured.tenants()) {
                jdbc.sql("""
                        insert into tenant (id, models, replenish_rate, burst_capacity, requested_tokens)
                        values (?, string_to_array(?, ','), ?, ?, ?)
                        on conflict (id) do update set models = excluded.models, replenish_rate = excluded.replenish_rate,
                            burst_capacity = excluded.burst_capacity, requested_tokens = excluded.requested_tokens""")
                    .params(tenant.id(), String.join(",", configured.modelsOf(tenant.id())),
                            tenant.rateLimit().replenishRate(), tenant.rateLimit().burstCapacity(),
                            tenant.rateLimit().requestedTokens())
                    .update();
            }
            List<RevokedKey> replaced = new ArrayList<>();
            for (TenantDirectory.ConfiguredKey key : configured.configuredKeys()) {
                String tenant = key.key().tenant().id();
                replaced.addAll(jdbc.sql("""
                        update api_key set revoked_at = now()
                        where tenant_id = ? and name = ? and seeded and revoked_at is null and key_sha256 <> ?
                        returning id, tenant_id""")
                    .params(tenant, key.name(), key.sha256Hex())
                    .query((rs, row) -> new RevokedKey(rs.getString("id"), rs.getString("tenant_id")))
                    .list());
                List<String> models = key.key().models().equals(configured.modelsOf(tenant)) ? List.of() : key.key().models();
                jdbc.sql("""
                        insert into api_key (id, key_sha256, tenant_id, name, scopes, models, seeded)
                        values (?, ?, ?, ?, string_to_array(?, ','), string_to_array(?, ','), true)
                        on conflict (key_sha256) do update set scopes = excluded.scopes, models = excluded.models
                        where api_key.seeded""")
                    .params(key.key().id(), key.sha256Hex(), tenant, key.name(), String.join(",", key.key().scopes()),
                            String.join(",", models))
                    .update();
            }
            return replaced;
        });
    }

    /** @return false if the tenant exists already */
    public boolean createTenant(String id, List<String> models, Tenant.RateLimit limit, Tenant.Budget budget) {
        return jdbc.sql("""
                insert into tenant (id, models, replenish_rate, burst_capacity, requested_tokens,
                                    tokens_per_minute, tokens_per_day, cost_per_month_micros)
                values (?, string_to_array(?, ','), ?, ?, ?, ?, ?, ?) on conflict (id) do nothing""")
            .params(id, String.join(",", models), limit.replenishRate(), limit.burstCapacity(), limit.requestedTokens(),
                    budget.tokensPerMinute(), budget.tokensPerDay(), budget.costPerMonthMicros())
            .update() == 1;
    }

    /** A tenant with its models, rate limit and own budgets. */
    public Optional<TenantRecord> tenant(String id) {
        return jdbc.sql("""
                select id as tenant_id, models, replenish_rate, burst_capacity, requested_tokens,
                       tokens_per_minute, tokens_per_day, cost_per_month_micros from tenant where id = ?""")
            .param(id)
            .query((rs, row) -> new TenantRecord(tenant(rs), strings(rs.getArray("models"))))
            .optional();
    }

    /**
     * Changes a tenant's limits in one statement: the rate limit if given, and each budget column named in
     * {@code budget} (a null value clears it: back to configuration).
     *
     * @return the tenant as it is now, or empty if there is no such tenant
     */
    public Optional<TenantRecord> updateLimits(String id, Tenant.RateLimit rateLimit, Map<BudgetColumn, Long> budget) {
        List<String> assignments = new ArrayList<>();
        List<Object> values = new ArrayList<>();
        if (rateLimit != null) {
            assignments.add("replenish_rate = ?, burst_capacity = ?, requested_tokens = ?");
            values.addAll(List.of(rateLimit.replenishRate(), rateLimit.burstCapacity(), rateLimit.requestedTokens()));
        }
        budget.forEach((column, value) -> {
            assignments.add(column.column() + " = ?");
            values.add(value);
        });
        if (assignments.isEmpty()) {
            return tenant(id);
        }
        values.add(id);
        return jdbc.sql("update tenant set " + String.join(", ", assignments) + """
                 where id = ? returning id as tenant_id, models, replenish_rate, burst_capacity, requested_tokens,
                                        tokens_per_minute, tokens_per_day, cost_per_month_micros""")
            .params(values)
            .query((rs, row) -> new TenantRecord(tenant(rs), strings(rs.getArray("models"))))
            .optional();
    }

    public Optional<List<String>> tenantModels(String tenantId) {
        return jdbc.sql("select models from tenant where id = ?").param(tenantId)
            .query((rs, row) -> strings(rs.getArray("models"))).optional();
    }

    /** Issues a new key; the answer is the only place the key ever appears. */
    public IssuedKey issue(String tenantId, String name, Set<String> scopes, List<String> models) {
        String key = KEY_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes());
        byte[] hash = ApiKeyHash.of(key);
        String id = ApiKey.idOf(hash);
        jdbc.sql("""
                insert into api_key (id, key_sha256, tenant_id, name, scopes, models)
                values (?, ?, ?, ?, string_to_array(?, ','), string_to_array(?, ','))""")
            .params(id, HexFormat.of().formatHex(hash), tenantId, name, String.join(",", scopes), String.join(",", models))
            .update();
        return new IssuedKey(id, key, tenantId, name, scopes, models);
    }

    /** A new key with the same tenant, name, scopes and models; the old one is revoked in the same transaction. */
    public Optional<IssuedKey> rotate(String keyId) {
        return transactions.execute(status -> revoke(keyId).map(revoked -> jdbc.sql(
                "select tenant_id, name, scopes, models from api_key where id = ?").param(keyId)
            .query((rs, row) -> issue(rs.getString("tenant_id"), rs.getString("name"),
                    new LinkedHashSet<>(strings(rs.getArray("scopes"))), strings(rs.getArray("models"))))
            .single()));
    }

    /** @return the revoked key, or empty if there is no active key with this id */
    public Optional<RevokedKey> revoke(String keyId) {
        return jdbc.sql("update api_key set revoked_at = now() where id = ? and revoked_at is null returning id, tenant_id")
            .param(keyId)
            .query((rs, row) -> new RevokedKey(rs.getString("id"), rs.getString("tenant_id")))
            .optional();
    }

    public List<KeyView> keys(String tenantId) {
        return jdbc.sql("""
                select id, name, scopes, models, created_at, revoked_at from api_key where tenant_id = ? order by created_at, id""")
            .param(tenantId)
            .query((rs, row) -> new KeyView(rs.getString("id"), rs.getString("name"), strings(rs.getArray("scopes")),
                    strings(rs.getArray("models")), instant(rs, "created_at"), instant(rs, "revoked_at")))
            .list();
    }

    private static Tenant tenant(ResultSet rs) throws SQLException {
        return new Tenant(rs.getString("tenant_id"), new Tenant.RateLimit(rs.getInt("replenish_rate"),
                rs.getLong("burst_capacity"), rs.getInt("requested_tokens")),
                new Tenant.Budget(rs.getObject("tokens_per_minute", Long.class), rs.getObject("tokens_per_day", Long.class),
                        rs.getObject("cost_per_month_micros", Long.class)));
    }

    private static ApiKey apiKey(ResultSet rs) throws SQLException {
        Tenant tenant = tenant(rs);
        List<String> models = strings(rs.getArray("models"));
        return new ApiKey(rs.getString("id"), tenant, new LinkedHashSet<>(strings(rs.getArray("scopes"))),
                models.isEmpty() ? strings(rs.getArray("tenant_models")) : models);
    }

    private static List<String> strings(Array array) throws SQLException {
        return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    /** A key as issued: {@code key} is shown once and never stored. */
    public record IssuedKey(String id, String key, @JsonProperty("tenant_id") String tenantId, String name,
            Set<String> scopes, List<String> models) {

        @Override
        public String toString() {
            return "IssuedKey[id=" + id + ", tenantId=" + tenantId + "]";
        }
    }

    public record RevokedKey(String id, String tenantId) {
    }

    /** A tenant as stored: its limits and its models. */
    public record TenantRecord(Tenant tenant, List<String> models) {
    }

    /** The budget columns the admin API may set (a fixed list: column names are never taken from a request). */
    public enum BudgetColumn {
        TOKENS_PER_MINUTE("tokens_per_minute"), TOKENS_PER_DAY("tokens_per_day"), COST_PER_MONTH_MICROS("cost_per_month_micros");

        private final String column;

        BudgetColumn(String column) {
            this.column = column;
        }

        String column() {
            return column;
        }
    }

    /** What the admin API shows of a key: never the key, never its hash. */
    public record KeyView(String id, String name, List<String> scopes, List<String> models,
            @JsonProperty("created_at") Instant createdAt, @JsonProperty("revoked_at") Instant revokedAt) {
    }
}
