package dev.genaiplatform.retrieval.catalog;

import dev.genaiplatform.retrieval.support.TestPostgres;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The store rows a search reads without a query: never another tenant's, never stale after this instance created or
 * deleted a store, at most {@code storeListTtl} stale after another instance did (real PostgreSQL).
 */
class StoreRowsForSearchIT {

    private static final JdbcClient JDBC = migratedDatabase();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final VectorStoreCatalog instance = new VectorStoreCatalog(JDBC, JSON, Duration.ofHours(1));
    private final VectorStoreCatalog otherInstance = new VectorStoreCatalog(JDBC, JSON, Duration.ofHours(1));

    @Test
    void aStoreThisInstanceCreatesOrDeletesIsSeenByTheNextSearch() {
        assertThat(instance.listForSearch("tenant-a")).isEmpty();

        instance.insert(store("vs_a1", "tenant-a", Map.of("default", "true")));
        assertThat(instance.listForSearch("tenant-a")).extracting(VectorStoreRow::id).containsExactly("vs_a1");

        instance.delete("tenant-a", "vs_a1");
        assertThat(instance.listForSearch("tenant-a")).isEmpty();
    }

    @Test
    void aTenantNeverGetsAnotherTenantsStores() {
        instance.insert(store("vs_b1", "tenant-b", Map.of()));
        instance.insert(store("vs_c1", "tenant-c", Map.of()));

        assertThat(instance.listForSearch("tenant-b")).extracting(VectorStoreRow::id).containsExactly("vs_b1");
        assertThat(instance.listForSearch("tenant-c")).extracting(VectorStoreRow::id).containsExactly("vs_c1");
        assertThat(instance.listForSearch("tenant-b")).extracting(VectorStoreRow::tenantId).containsOnly("tenant-b");
    }

    @Test
    void anotherInstancesChangeIsSeenAfterTheTtlOrWhenThisInstanceChangesTheTenant() {
        assertThat(instance.listForSearch("tenant-d")).isEmpty(); // kept for an hour from now

        otherInstance.insert(store("vs_d1", "tenant-d", Map.of()));
        assertThat(instance.listForSearch("tenant-d")).as("kept: at most the TTL late").isEmpty();
        assertThat(instance.list("tenant-d")).as("the API's listing reads the database").hasSize(1);

        instance.insert(store("vs_d2", "tenant-d", Map.of()));
        assertThat(instance.listForSearch("tenant-d")).extracting(VectorStoreRow::id).containsExactlyInAnyOrder("vs_d1", "vs_d2");
    }

    @Test
    void aZeroTtlReadsTheDatabaseOnEverySearch() {
        var uncached = new VectorStoreCatalog(JDBC, JSON, Duration.ZERO);
        assertThat(uncached.listForSearch("tenant-e")).isEmpty();

        otherInstance.insert(store("vs_e1", "tenant-e", Map.of()));

        assertThat(uncached.listForSearch("tenant-e")).extracting(VectorStoreRow::id).containsExactly("vs_e1");
    }

    private static VectorStoreRow store(String id, String tenant, Map<String, Object> metadata) {
        Instant now = Instant.now();
        return new VectorStoreRow(id, tenant, id, Map.of("type", "auto"), metadata, now, now);
    }

    private static JdbcClient migratedDatabase() {
        var dataSource = new DriverManagerDataSource(TestPostgres.newDatabase(), "postgres", "postgres");
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        return JdbcClient.create(dataSource);
    }
}
