package dev.genaiplatform.retrieval.catalog;

import static dev.genaiplatform.retrieval.catalog.ContentHash.sha256;

import dev.genaiplatform.contracts.guardrails.PassageVerdict;
import dev.genaiplatform.contracts.retrieval.RetrievedChunk;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.json.JsonMapper;

import java.sql.Timestamp;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Guardrails' verdicts about indexed passages as untrusted data, by owning tenant and text: kept in PostgreSQL
 * ({@code passage_verdicts}) and, for searches, in memory, so attaching a verdict to a search result is a map lookup
 * (plus a SHA-256 of the passage). Both index stores use it alike. A search result whose text has no verdict here
 * goes out without one and is screened per request, as before.
 *
 * <p>Rows are not removed with their chunks: a verdict about a text stays true for that text and policy, and an
 * unchanged passage indexed again reuses it. Each instance reads the table when it starts and adds what it judges;
 * another instance's new verdicts are seen after its next start (until then its results go out without them).
 */
public final class PassageVerdicts {

    private record Key(String tenantId, String textSha256) {
    }

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final Map<Key, PassageVerdict> known = new ConcurrentHashMap<>();

    public PassageVerdicts(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
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
        if (known.isEmpty() || chunk.text() == null || tenantId == null) {
            return chunk;
        }
        PassageVerdict verdict = known.get(new Key(tenantId, sha256(chunk.text())));
        return verdict == null ? chunk : new RetrievedChunk(chunk.chunkId(), chunk.documentPath(), chunk.heading(),
                chunk.startOffset(), chunk.endOffset(), chunk.text(), chunk.score(), chunk.fileId(), chunk.fileVersion(),
                chunk.title(), chunk.asOf(), verdict);
    }

    /** The distinct texts of {@code texts} that have no stored verdict for the tenant, in order. */
    public List<String> unjudged(String tenantId, List<String> texts) {
        LinkedHashSet<String> missing = new LinkedHashSet<>();
        for (String text : texts) {
            if (!known.containsKey(new Key(tenantId, sha256(text)))) {
                missing.add(text);
            }
        }
        return List.copyOf(missing);
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

    /** Stores one verdict per text (same order), replacing older ones for the same text and tenant. */
    public void save(String tenantId, List<String> texts, List<PassageVerdict> verdicts) {
        if (texts.size() != verdicts.size()) {
            throw new IllegalArgumentException(texts.size() + " texts but " + verdicts.size() + " verdicts");
        }
        for (int i = 0; i < texts.size(); i++) {
            PassageVerdict verdict = verdicts.get(i);
            String sha256 = sha256(texts.get(i));
            jdbc.sql("""
                            insert into passage_verdicts (tenant_id, text_sha256, verdict, judged_at)
                            values (?, ?, cast(? as jsonb), ?)
                            on conflict (tenant_id, text_sha256) do update set verdict = excluded.verdict,
                            judged_at = excluded.judged_at""")
                    .params(tenantId, sha256, json.writeValueAsString(verdict),
                            Timestamp.from(verdict.judgedAt() == null ? java.time.Instant.now() : verdict.judgedAt()))
                    .update();
            known.put(new Key(tenantId, sha256), verdict);
        }
    }

    public int size() {
        return known.size();
    }
}
