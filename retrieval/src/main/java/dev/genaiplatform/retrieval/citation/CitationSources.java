package dev.genaiplatform.retrieval.citation;

import dev.genaiplatform.contracts.retrieval.CitationSource;
import dev.genaiplatform.contracts.retrieval.RetrievedChunk;
import dev.genaiplatform.retrieval.catalog.FileCatalog;
import dev.genaiplatform.retrieval.catalog.SourceTexts;
import dev.genaiplatform.retrieval.catalog.StoredFile;
import dev.genaiplatform.retrieval.ingest.CorpusIngestor;
import dev.genaiplatform.retrieval.ingest.DocumentCatalog;
import dev.genaiplatform.retrieval.ingest.DocumentParser;
import dev.genaiplatform.retrieval.search.ChunkIndex;
import dev.genaiplatform.retrieval.search.SearchScopes;
import dev.genaiplatform.retrieval.security.Caller;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.ai.document.Document;

import java.util.Optional;

/**
 * Opens a citation (ADR 0005): the whole text of the document version a chunk was taken from, with the chunk's span.
 *
 * <p>The chunk is looked up in the index under the caller's access filter, the same one every search applies
 * (tenant, readable stores, groups): a chunk of another tenant, of a file the caller's groups may not read, of a
 * version replaced by a newer one, or of a deleted file is simply not found, and all four look alike to the
 * caller. The text comes from the version's stored source text (uploads) or the corpus as indexed (built-in docs).
 */
public final class CitationSources {

    private static final Logger log = LoggerFactory.getLogger(CitationSources.class);

    private final ChunkIndex index;
    private final SearchScopes scopes;
    private final SourceTexts sourceTexts;
    private final DocumentCatalog corpus;
    private final FileCatalog files;
    private final DocumentParser parser;

    public CitationSources(ChunkIndex index, SearchScopes scopes, SourceTexts sourceTexts,
                           DocumentCatalog corpus, FileCatalog files, DocumentParser parser) {
        this.index = index;
        this.scopes = scopes;
        this.sourceTexts = sourceTexts;
        this.corpus = corpus;
        this.files = files;
        this.parser = parser;
    }

    public Optional<CitationSource> open(Caller caller, String chunkId) {
        if (chunkId == null || chunkId.isBlank()) {
            return Optional.empty();
        }
        Optional<Document> found = index.find(chunkId, scopes.everyReadableStore(caller).filter(null));
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Document document = found.get();
        RetrievedChunk chunk = Provenance.toRetrievedChunk(document);
        Optional<String> text = CorpusIngestor.PUBLIC_STORE_ID.equals(document.getMetadata().get(Provenance.VECTOR_STORE_ID))
                ? corpusText(chunk, document)
                : uploadedText(caller, chunk, String.valueOf(document.getMetadata().get(Provenance.VECTOR_STORE_ID)));
        return text.filter(t -> spanMatches(chunk, t)).map(t -> new CitationSource(chunk.chunkId(), chunk.documentPath(),
                chunk.fileId(), chunk.fileVersion(), chunk.title(), chunk.heading(), chunk.startOffset(), chunk.endOffset(), t,
                chunk.asOf()));
    }

    private Optional<String> corpusText(RetrievedChunk chunk, Document document) {
        Object sha256 = document.getMetadata().get(Provenance.CONTENT_SHA256);
        return corpus.text(chunk.documentPath()).filter(text -> text.sha256().equals(sha256)).map(DocumentCatalog.CorpusText::text);
    }

    /**
     * The stored text of that version; a version indexed before texts were kept is parsed again from its bytes (the
     * span check below refuses it if the parser has changed since).
     */
    private Optional<String> uploadedText(Caller caller, RetrievedChunk chunk, String storeId) {
        if (chunk.fileId() == null || chunk.fileVersion() == null) {
            return Optional.empty();
        }
        Optional<String> stored = sourceTexts.find(caller.tenant(), storeId, chunk.fileId(), chunk.fileVersion());
        if (stored.isPresent()) {
            return stored;
        }
        Optional<StoredFile> file = files.find(caller.tenant(), chunk.fileId());
        if (file.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(parser.parse(file.get().filename(), files.content(caller.tenant(), chunk.fileId())).text());
        } catch (RuntimeException e) {
            log.warn("Cannot parse {} again to open a citation: {}", chunk.fileId(), e.toString());
            return Optional.empty();
        }
    }

    /** The offsets must point at the chunk's own text, or the "source" would show the reader the wrong place. */
    private static boolean spanMatches(RetrievedChunk chunk, String text) {
        boolean matches = chunk.startOffset() >= 0 && chunk.endOffset() <= text.length() && chunk.startOffset() <= chunk.endOffset()
                && text.substring(chunk.startOffset(), chunk.endOffset()).equals(chunk.text());
        if (!matches) {
            log.warn("Chunk {} does not match its source text at [{}, {})", chunk.chunkId(), chunk.startOffset(), chunk.endOffset());
        }
        return matches;
    }
}
