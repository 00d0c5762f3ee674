package dev.genaiplatform.retrieval.ingest;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;

import java.util.List;

/**
 * Staleness per vector store, refreshed every 30 s: {@code retrieval_store_oldest_version_age_seconds} is the age of
 * the oldest file version a store still answers from (how long since that content was last ingested), and
 * {@code retrieval_store_files_in_progress} how many files wait to be searchable. One time series per store: fine
 * for the tens of stores of a demo, a cardinality problem for thousands (aggregate per tenant then).
 */
public final class StoreStaleness {

    private final JdbcClient jdbc;
    private final MultiGauge oldestAge;
    private final MultiGauge inProgress;

    public StoreStaleness(JdbcClient jdbc, MeterRegistry registry) {
        this.jdbc = jdbc;
        this.oldestAge = MultiGauge.builder("retrieval.store.oldest.version.age").baseUnit("seconds")
                .description("Age of the oldest indexed file version per vector store").register(registry);
        this.inProgress = MultiGauge.builder("retrieval.store.files.in.progress")
                .description("Files of a vector store still being ingested").register(registry);
    }

    @Scheduled(fixedDelayString = "PT30S", initialDelayString = "PT5S")
    public void refresh() {
        oldestAge.register(rows("""
                select vector_store_id, extract(epoch from now() - min(indexed_at))
                from vector_store_files where status = 'completed' group by vector_store_id"""), true);
        inProgress.register(rows("""
                select vector_store_id, count(*) from vector_store_files where status = 'in_progress' group by vector_store_id"""), true);
    }

    private List<MultiGauge.Row<?>> rows(String sql) {
        List<MultiGauge.Row<?>> rows = new java.util.ArrayList<>();
        jdbc.sql(sql).query(rs -> {
            rows.add(MultiGauge.Row.of(Tags.of("vector_store", rs.getString(1)), rs.getDouble(2)));
        });
        return rows;
    }
}
