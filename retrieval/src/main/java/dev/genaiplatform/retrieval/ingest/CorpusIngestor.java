package dev.genaiplatform.retrieval.ingest;

import static dev.genaiplatform.retrieval.catalog.ContentHash.sha256;

import dev.genaiplatform.retrieval.chunking.Chunk;
import dev.genaiplatform.retrieval.chunking.MarkdownHeadingChunker;
import dev.genaiplatform.retrieval.citation.Provenance;
import dev.genaiplatform.retrieval.search.ChunkIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.ai.document.Document;
import org.springframework.ai.vectorstore.filter.FilterExpressionBuilder;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.ApplicationEventPublisher;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps the built-in corpus (the project's docs/) in the shared public store {@value #PUBLIC_STORE_ID}, which every
 * tenant can search. Runs at start-up as an {@link ApplicationRunner}, so readiness is reported only after it.
 * The index is durable: a document whose content hash is already indexed is skipped (a restart with unchanged docs
 * embeds nothing), a changed one replaces its old chunks in one commit, and a document no longer in the folder
 * leaves the index. Then files left in progress are requested again ({@link IngestionRecovery}) and the search
 * listener starts ({@link CorpusIndexedEvent}).
 *
 * <p>No documents at all is a configuration error (a wrong RETRIEVAL_DOCUMENTS) and fails the start-up.
 */
public final class CorpusIngestor implements ApplicationRunner {

    public static final String PUBLIC_STORE_ID = "vs_platform_docs";

    private static final Logger log = LoggerFactory.getLogger(CorpusIngestor.class);
    private static final FilterExpressionBuilder WHERE = new FilterExpressionBuilder();

    private final String pattern;
    private final MarkdownDocumentLoader loader;
    private final MarkdownHeadingChunker chunker;
    private final ChunkIndex store;
    private final DocumentCatalog catalog;
    private final IngestionRecovery recovery;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private final PassageJudging judging;

    public CorpusIngestor(String pattern, MarkdownDocumentLoader loader, MarkdownHeadingChunker chunker,
                          ChunkIndex store, DocumentCatalog catalog, IngestionRecovery recovery,
                          ApplicationEventPublisher events, Clock clock) {
        this(pattern, loader, chunker, store, catalog, recovery, events, clock, PassageJudging.off());
    }

    /** With guardrails judging the corpus's passages that have no verdict yet, in the background after start-up. */
    public CorpusIngestor(String pattern, MarkdownDocumentLoader loader, MarkdownHeadingChunker chunker,
                          ChunkIndex store, DocumentCatalog catalog, IngestionRecovery recovery,
                          ApplicationEventPublisher events, Clock clock, PassageJudging judging) {
        this.judging = judging;
        this.pattern = pattern;
        this.loader = loader;
        this.chunker = chunker;
        this.store = store;
        this.catalog = catalog;
        this.recovery = recovery;
        this.events = events;
        this.clock = clock;
    }

    @Override
    public void run(ApplicationArguments args) {
        long start = System.nanoTime();
        List<SourceDocument> sources = loader.load(pattern);
        if (sources.isEmpty()) {
            throw new IllegalStateException("No Markdown documents match '" + pattern
                    + "'. Point RETRIEVAL_DOCUMENTS (platform.retrieval.documents) at them, e.g. file:/path/to/docs/**/*.md");
        }
        List<DocumentCatalog.IndexedDocument> indexed = new ArrayList<>();
        Map<String, DocumentCatalog.CorpusText> texts = new HashMap<>();
        int embedded = 0;
        int chunksTotal = 0;
        List<String> passages = new ArrayList<>();
        for (SourceDocument source : sources) {
            List<Chunk> chunks = chunker.chunk(source.path(), source.text());
            chunks.forEach(chunk -> passages.add(chunk.text()));
            String sha256 = sha256(source.text());
            var current = WHERE.and(inPublicStore(source.path()), WHERE.eq(Provenance.CONTENT_SHA256, sha256)).build();
            if (store.count(current) != chunks.size()) {
                store.replace(inPublicStore(source.path()).build(), store.prepare(toDocuments(source, chunks, sha256), done -> { }));
                embedded += chunks.size();
            }
            chunksTotal += chunks.size();
            indexed.add(new DocumentCatalog.IndexedDocument(source.path(), chunks.size(), source.text().length()));
            texts.put(source.path(), new DocumentCatalog.CorpusText(sha256, source.text()));
        }
        store.delete(WHERE.and(WHERE.eq(Provenance.VECTOR_STORE_ID, PUBLIC_STORE_ID),
                WHERE.nin(Provenance.DOCUMENT_PATH, sources.stream().map(SourceDocument::path).toArray())).build());
        long millis = (System.nanoTime() - start) / 1_000_000;
        catalog.replace(indexed, texts, millis);
        log.info("Public corpus: {} documents, {} chunks ({} embedded now, the rest unchanged in the index) in {} ms from {}",
                sources.size(), chunksTotal, embedded, millis, pattern);
        recovery.resume();
        // judged once for all tenants under the default policy; only texts without a stored verdict are sent
        judging.judgeLater(PUBLIC_STORE_ID, Provenance.PUBLIC_TENANT, passages, null);
        events.publishEvent(new CorpusIndexedEvent(sources.size(), chunksTotal, millis));
    }

    private static FilterExpressionBuilder.Op inPublicStore(String path) {
        return WHERE.and(WHERE.eq(Provenance.VECTOR_STORE_ID, PUBLIC_STORE_ID), WHERE.eq(Provenance.DOCUMENT_PATH, path));
    }

    private List<Document> toDocuments(SourceDocument source, List<Chunk> chunks, String sha256) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put(Provenance.TENANT, Provenance.PUBLIC_TENANT);
        metadata.put(Provenance.VECTOR_STORE_ID, PUBLIC_STORE_ID);
        metadata.put(Provenance.GROUPS, List.of(Provenance.EVERYONE));
        metadata.put(Provenance.CONTENT_SHA256, sha256);
        metadata.put(Provenance.TITLE, DocumentParser.markdownTitle(source.text(), source.path()));
        metadata.put(Provenance.AS_OF, clock.millis());
        return chunks.stream().map(chunk -> Provenance.toDocument(chunk, chunk.id(), metadata)).toList();
    }
}
