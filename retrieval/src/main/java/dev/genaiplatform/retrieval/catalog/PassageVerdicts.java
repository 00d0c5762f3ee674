package dev.genaiplatform.retrieval.catalog;

import static dev.genaiplatform.retrieval.catalog.ContentHash.sha256;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.genaiplatform.contracts.guardrails.PassageVerdict;
import dev.genaiplatform.contracts.retrieval.RetrievedChunk;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.json.JsonMapper;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Guardrails' verdicts about indexed passages as untrusted data, by owning tenant and text: kept in PostgreSQL
 * ({@code passage_verdicts}) and, for searches, in memory, so attaching a verdict to a search result is a map lookup
 * (plus a SHA-256 of the passage). Both index stores use it alike. A search result whose text has no verdict goes out
 * without one and is screened per request, as before.
 *
 * <p><b>Several instances</b> (pgvector, one database): each reads the table when it starts and keeps what it judges;
 * a result whose verdict is not in memory is looked up in the table (one query for all of a search's misses), so a
 * verdict another instance stored is used at once. A text found in neither is not looked up again for
 * {@code recheckAfter}, so passages that are never judged (judging off elsewhere, guardrails down) do not cost a query
 * per search; a search whose results all have a verdict in memory makes no query at all (README, Wave 12).
 *
 * <p><b>Pruning</b> ({@link #prune}): a verdict is about a text, not a chunk, so it is not removed with a chunk (an
 * unchanged passage indexed again reuses it). Rows whose text is no longer indexed for their tenant are deleted by a
 * sweep over the whole index; see {@link #prune} for why a sweep and why it cannot delete a verdict in use.
 */
public final class PassageVerdicts {

    private record Key(String tenantId, String textSha256) {
    }

    /** Misses kept at most: a text costs about 150 bytes here. */
    private static final int MAX_ABSENT_KEPT = 100_000;
    /** Keys per statement of a prune's deletes and of an indexing's confirmation. */
    private static final int BATCH = 1_000;

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final Map<Key, PassageVerdict> known = new ConcurrentHashMap<>();
    /** Texts looked up in the table and not found there, until they may be looked up again; null: never look up. */
    private final Cache<Key, Boolean> absent;
    private final AtomicLong tableLookups = new AtomicLong();

    /**
     * @param recheckAfter how long a text found in neither memory nor the table is not looked up again; null to never
     *                     look up a search's misses in the table (what this instance does not know goes without)
     */
    public PassageVerdicts(JdbcClient jdbc, JsonMapper json, Duration recheckAfter) {
        this.jdbc = jdbc;
        this.json = json;
        this.absent = recheckAfter == null ? null
                : Caffeine.newBuilder().maximumSize(MAX_ABSENT_KEPT).expireAfterWrite(recheckAfter).build();
    }

    /** Memory only, as in wave 11: a verdict stored by another instance is seen after this one's restart. */
    public PassageVerdicts(JdbcClient jdbc, JsonMapper json) {
        this(jdbc, json, null);
    }

    /** Reads every stored verdict into memory (once, at start-up). */
    public PassageVerdicts load() {
        jdbc.sql("select tenant_id, text_sha256, verdict from passage_verdicts").query((rs, n) -> {
            known.put(new Key(rs.getString(1), rs.getString(2)), json.readValue(rs.getString(3), PassageVerdict.class));
            return null;
        }).list();
        return this;
    }

    /** The chunk with its stored verdict when there is one for its tenant and text; the chunk itself otherwise. */
    public RetrievedChunk attach(RetrievedChunk chunk, String tenantId) {
        return attach(List.of(chunk), Collections.singletonList(tenantId)).getFirst();
    }

    /**
     * Each chunk with its stored verdict (tenants in the same order as the chunks): from memory, else from the table
     * in one query for all misses not looked up within {@code recheckAfter}.
     */
    public List<RetrievedChunk> attach(List<RetrievedChunk> chunks, List<String> tenantIds) {
        List<Key> keys = new ArrayList<>(chunks.size());
        Set<Key> missing = new LinkedHashSet<>();
        for (int i = 0; i < chunks.size(); i++) {
            RetrievedChunk chunk = chunks.get(i);
            String tenantId = tenantIds.get(i);
            Key key = chunk.text() == null || tenantId == null ? null : new Key(tenantId, sha256(chunk.text()));
            keys.add(key);
            if (key != null && !known.containsKey(key) && absent != null && absent.getIfPresent(key) == null) {
                missing.add(key);
            }
        }
        if (!missing.isEmpty()) {
            readFromTable(missing);
            missing.stream().filter(key -> !known.containsKey(key)).forEach(key -> absent.put(key, Boolean.TRUE));
        }
        List<RetrievedChunk> attached = new ArrayList<>(chunks.size());
        for (int i = 0; i < chunks.size(); i++) {
            RetrievedChunk chunk = chunks.get(i);
            PassageVerdict verdict = keys.get(i) == null ? null : known.get(keys.get(i));
            attached.add(verdict == null ? chunk : new RetrievedChunk(chunk.chunkId(), chunk.documentPath(),
                    chunk.heading(), chunk.startOffset(), chunk.endOffset(), chunk.text(), chunk.score(), chunk.fileId(),
                    chunk.fileVersion(), chunk.title(), chunk.asOf(), verdict));
        }
        return attached;
    }

    /**
     * The distinct texts of {@code texts} that have no stored verdict for the tenant, in order: neither in memory nor,
     * with table lookups on, in the table (another instance may have judged them).
     */
    public List<String> unjudged(String tenantId, List<String> texts) {
        Map<Key, String> byKey = new LinkedHashMap<>();
        texts.forEach(text -> byKey.putIfAbsent(new Key(tenantId, sha256(text)), text));
        Set<Key> missing = new LinkedHashSet<>();
        byKey.keySet().stream().filter(key -> !known.containsKey(key)).forEach(missing::add);
        if (!missing.isEmpty() && absent != null) {
            readFromTable(missing);
        }
        return byKey.entrySet().stream().filter(entry -> !known.containsKey(entry.getKey())).map(Map.Entry::getValue)
                .toList();
    }

    /** The distinct texts of {@code texts} whose stored verdict was judged under another policy than {@code current}. */
    public List<String> judgedUnderAnother(String tenantId, List<String> texts, String current) {
        LinkedHashSet<String> stale = new LinkedHashSet<>();
        for (String text : texts) {
            PassageVerdict verdict = known.get(new Key(tenantId, sha256(text)));
            if (verdict != null && !verdict.judgedUnder(current)) {
                stale.add(text);
            }
        }
        return List.copyOf(stale);
    }

    /** Whether this instance holds no verdict for the text, or one judged under another policy than {@code current}. */
    public boolean lacksVerdictUnder(String tenantId, String text, String current) {
        PassageVerdict verdict = known.get(new Key(tenantId, sha256(text)));
        return verdict == null || !verdict.judgedUnder(current);
    }

    /**
     * The texts of {@code texts} (distinct) that lack a verdict under {@code current} after reading their rows from
     * the table again: another instance may have stored a newer verdict than the one in memory.
     */
    public List<String> stillLacking(String tenantId, List<String> texts, String current) {
        Map<Key, String> byKey = new LinkedHashMap<>();
        texts.forEach(text -> byKey.putIfAbsent(new Key(tenantId, sha256(text)), text));
        readFromTable(byKey.keySet());
        return byKey.entrySet().stream().filter(entry -> {
            PassageVerdict verdict = known.get(entry.getKey());
            return verdict == null || !verdict.judgedUnder(current);
        }).map(Map.Entry::getValue).toList();
    }

    /**
     * Marks the stored verdicts of {@code texts} as in use now (their passages were just indexed again), so a prune
     * running meanwhile keeps them; returns the distinct texts whose row a prune removed already (forgotten here too),
     * which must be judged again.
     */
    public List<String> confirmInUse(String tenantId, List<String> texts) {
        Map<String, String> bySha256 = new LinkedHashMap<>();
        texts.forEach(text -> bySha256.putIfAbsent(sha256(text), text));
        Set<String> confirmed = new HashSet<>();
        forEachBatch(List.copyOf(bySha256.keySet()), batch -> confirmed.addAll(jdbc.sql("""
                        update passage_verdicts set stored_at = now()
                        where tenant_id = ? and text_sha256 = any(?) returning text_sha256""")
                .params(tenantId, batch.toArray(String[]::new)).query(String.class).list()));
        List<String> gone = new ArrayList<>();
        bySha256.forEach((sha256, text) -> {
            if (!confirmed.contains(sha256)) {
                known.remove(new Key(tenantId, sha256));
                gone.add(text);
            }
        });
        return gone;
    }

    /** Stores one verdict per text (same order), replacing older ones for the same text and tenant. */
    public void save(String tenantId, List<String> texts, List<PassageVerdict> verdicts) {
        if (texts.size() != verdicts.size()) {
            throw new IllegalArgumentException(texts.size() + " texts but " + verdicts.size() + " verdicts");
        }
        for (int i = 0; i < texts.size(); i++) {
            PassageVerdict verdict = verdicts.get(i);
            String sha256 = sha256(texts.get(i));
            jdbc.sql("""
                            insert into passage_verdicts (tenant_id, text_sha256, verdict, judged_at, stored_at)
                            values (?, ?, cast(? as jsonb), ?, now())
                            on conflict (tenant_id, text_sha256) do update set verdict = excluded.verdict,
                            judged_at = excluded.judged_at, stored_at = now()""")
                    .params(tenantId, sha256, json.writeValueAsString(verdict),
                            Timestamp.from(verdict.judgedAt() == null ? Instant.now() : verdict.judgedAt()))
                    .update();
            Key key = new Key(tenantId, sha256);
            known.put(key, verdict);
            if (absent != null) {
                absent.invalidate(key);
            }
        }
    }

    /**
     * Deletes the verdicts whose text no longer appears in any indexed passage of their tenant; returns how many.
     * {@code indexed} must hand every indexed passage's tenant and text to its argument (a pass over the whole index).
     *
     * <p>Why a sweep and not a delete with each chunk: one text can be the passage of several files and stores of a
     * tenant, and many paths remove chunks (a file or store deleted, a file removed from a store, a version replaced,
     * a corpus document changed); whether a text is still indexed anywhere is a question about the whole index, which
     * one pass answers for all rows at once. Nothing depends on it being prompt (a verdict of a text no longer indexed
     * is never handed out), so it runs seldom.
     *
     * <p>Why it cannot delete a verdict in use: it deletes only rows last written or confirmed before it started (the
     * database's clock), and indexing confirms ({@link #confirmInUse}) or writes ({@link #save}) the verdicts of a
     * file's passages after publishing them. A passage published before the pass is seen by it; one published after
     * has its row confirmed after the start, or finds it gone and is judged again. Verdicts are keyed by tenant, so a
     * text indexed for one tenant never keeps another tenant's row, nor removes it.
     */
    public int prune(Consumer<BiConsumer<String, String>> indexed) {
        Timestamp started = jdbc.sql("select now()").query(Timestamp.class).single();
        Set<Key> live = new HashSet<>();
        indexed.accept((tenantId, text) -> {
            if (tenantId != null && text != null) {
                live.add(new Key(tenantId, sha256(text)));
            }
        });
        Map<String, List<String>> doomedByTenant = new HashMap<>();
        jdbc.sql("select tenant_id, text_sha256 from passage_verdicts where stored_at < ?").param(started)
                .query((rs, n) -> new Key(rs.getString(1), rs.getString(2))).list().stream()
                .filter(key -> !live.contains(key))
                .forEach(key -> doomedByTenant.computeIfAbsent(key.tenantId(), tenant -> new ArrayList<>())
                        .add(key.textSha256()));
        int deleted = 0;
        for (var tenant : doomedByTenant.entrySet()) {
            for (int from = 0; from < tenant.getValue().size(); from += BATCH) {
                List<String> batch = tenant.getValue().subList(from, Math.min(tenant.getValue().size(), from + BATCH));
                List<String> gone = jdbc.sql("""
                                delete from passage_verdicts where tenant_id = ? and text_sha256 = any(?) and stored_at < ?
                                returning text_sha256""")
                        .params(tenant.getKey(), batch.toArray(String[]::new), started).query(String.class).list();
                gone.forEach(sha256 -> known.remove(new Key(tenant.getKey(), sha256)));
                deleted += gone.size();
            }
        }
        return deleted;
    }

    /** Verdicts this instance holds in memory. */
    public int size() {
        return known.size();
    }

    /** How many times a search's or an indexing's misses were looked up in the table (a metric; tests count it). */
    public long tableLookups() {
        return tableLookups.get();
    }

    /** Reads the stored verdicts of {@code keys} into memory: one query, whatever the tenants. */
    private void readFromTable(Collection<Key> keys) {
        tableLookups.incrementAndGet();
        String[] tenants = keys.stream().map(Key::tenantId).toArray(String[]::new);
        String[] hashes = keys.stream().map(Key::textSha256).toArray(String[]::new);
        jdbc.sql("""
                        select v.tenant_id, v.text_sha256, v.verdict from passage_verdicts v
                        join unnest(?::text[], ?::text[]) as wanted(tenant_id, text_sha256)
                        on v.tenant_id = wanted.tenant_id and v.text_sha256 = wanted.text_sha256""")
                .params(tenants, hashes).query((rs, n) -> {
                    known.put(new Key(rs.getString(1), rs.getString(2)),
                            json.readValue(rs.getString(3), PassageVerdict.class));
                    return null;
                }).list();
    }

    private static void forEachBatch(List<String> values, Consumer<List<String>> action) {
        for (int from = 0; from < values.size(); from += BATCH) {
            action.accept(values.subList(from, Math.min(values.size(), from + BATCH)));
        }
    }
}
