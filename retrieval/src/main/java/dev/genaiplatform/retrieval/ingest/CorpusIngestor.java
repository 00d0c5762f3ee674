package dev.genaiplatform.retrieval.ingest;

import dev.genaiplatform.retrieval.chunking.Chunk;
import dev.genaiplatform.retrieval.chunking.MarkdownHeadingChunker;
import dev.genaiplatform.retrieval.citation.Provenance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.ai.document.Document;
import org.springframework.ai.vectorstore.VectorStore;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.ApplicationEventPublisher;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads, chunks, embeds and indexes the corpus once, at start-up. It runs as an {@link ApplicationRunner}:
 * the HTTP port is already open (liveness answers), but Spring Boot reports readiness
 * ({@code /actuator/health/readiness}) only after every runner has returned, so nobody is routed to a service
 * with a half-built index. The Kafka listener starts on the {@link CorpusIndexedEvent} published at the end.
 *
 * <p>No documents at all is a configuration error (a wrong RETRIEVAL_DOCUMENTS), and fails the start-up rather
 * than serving empty answers.
 */
public final class CorpusIngestor implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(CorpusIngestor.class);

    private final String pattern;
    private final MarkdownDocumentLoader loader;
    private final MarkdownHeadingChunker chunker;
    private final VectorStore store;
    private final DocumentCatalog catalog;
    private final ApplicationEventPublisher events;

    public CorpusIngestor(String pattern, MarkdownDocumentLoader loader, MarkdownHeadingChunker chunker,
                          VectorStore store, DocumentCatalog catalog, ApplicationEventPublisher events) {
        this.pattern = pattern;
        this.loader = loader;
        this.chunker = chunker;
        this.store = store;
        this.catalog = catalog;
        this.events = events;
    }

    @Override
    public void run(ApplicationArguments args) {
        long start = System.nanoTime();
        List<SourceDocument> sources = loader.load(pattern);
        if (sources.isEmpty()) {
            throw new IllegalStateException("No Markdown documents match '" + pattern
                    + "'. Point RETRIEVAL_DOCUMENTS (platform.retrieval.documents) at them, e.g. file:/path/to/docs/**/*.md");
        }
        List<Document> documents = new ArrayList<>();
        List<DocumentCatalog.IndexedDocument> indexed = new ArrayList<>();
        for (SourceDocument source : sources) {
            List<Chunk> chunks = chunker.chunk(source.path(), source.text());
            chunks.forEach(chunk -> documents.add(Provenance.toDocument(chunk)));
            indexed.add(new DocumentCatalog.IndexedDocument(source.path(), chunks.size(), source.text().length()));
        }
        long chunked = System.nanoTime();
        store.add(documents);
        long millis = (System.nanoTime() - start) / 1_000_000;
        catalog.replace(indexed, millis);
        log.info("Indexed {} documents as {} chunks in {} ms (chunking {} ms, embedding and indexing {} ms) from {}",
                sources.size(), documents.size(), millis, (chunked - start) / 1_000_000,
                (System.nanoTime() - chunked) / 1_000_000, pattern);
        events.publishEvent(new CorpusIndexedEvent(sources.size(), documents.size(), millis));
    }
}
