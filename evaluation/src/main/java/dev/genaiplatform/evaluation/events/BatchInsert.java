package dev.genaiplatform.evaluation.events;

import org.springframework.jdbc.core.simple.JdbcClient;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * One {@code insert ... values (...), (...) on conflict (event_id) do nothing returning event_id} for a batch of
 * events: one round trip and one statement instead of one per event, with the same once-only rule (an id already
 * stored, or twice in the batch, is inserted once). The returned ids say which events are new, so meters move
 * exactly once per event, as before.
 */
public final class BatchInsert {

    /** PostgreSQL's limit of bind parameters per statement is 65,535; stay well below it. */
    private static final int MAX_PARAMETERS = 30_000;

    private BatchInsert() {
    }

    /**
     * @param insertPrefix {@code insert into t (columns) values}
     * @param rowParameters one row's JDBC parameter markers, e.g. {@code (?, ?, ?::jsonb)}
     * @param parameters one row's values, in column order
     * @return the events newly stored, in batch order (a duplicate of an earlier id, in the table or the batch,
     *         is not among them)
     */
    public static <E> List<E> insertNew(JdbcClient jdbc, String insertPrefix, String rowParameters, int columns,
                                        List<E> events, Function<E, String> eventId,
                                        Function<E, List<Object>> parameters) {
        List<E> stored = new ArrayList<>(events.size());
        int rowsPerStatement = Math.max(1, MAX_PARAMETERS / columns);
        for (int from = 0; from < events.size(); from += rowsPerStatement) {
            List<E> chunk = events.subList(from, Math.min(events.size(), from + rowsPerStatement));
            StringBuilder sql = new StringBuilder(insertPrefix.length() + chunk.size() * (rowParameters.length() + 2) + 64)
                    .append(insertPrefix).append(' ');
            List<Object> values = new ArrayList<>(chunk.size() * columns);
            for (int i = 0; i < chunk.size(); i++) {
                sql.append(i == 0 ? "" : ", ").append(rowParameters);
                values.addAll(parameters.apply(chunk.get(i)));
            }
            sql.append(" on conflict (event_id) do nothing returning event_id");
            Set<String> inserted = new HashSet<>(jdbc.sql(sql.toString()).params(values).query(String.class).list());
            for (E event : chunk) {
                if (inserted.remove(eventId.apply(event))) {
                    stored.add(event);
                }
            }
        }
        return stored;
    }
}
