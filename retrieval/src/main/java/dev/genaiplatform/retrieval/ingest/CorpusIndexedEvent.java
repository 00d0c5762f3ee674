package dev.genaiplatform.retrieval.ingest;

/** Published once the start-up ingestion has filled the index: searches can now be answered. */
public record CorpusIndexedEvent(int documents, int chunks, long millis) {
}
