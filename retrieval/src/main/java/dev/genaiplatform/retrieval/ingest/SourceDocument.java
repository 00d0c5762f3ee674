package dev.genaiplatform.retrieval.ingest;

/**
 * A Markdown file as read for ingestion.
 *
 * @param path    relative to the base folder of the resource pattern, '/'-separated: {@code adr/0001-x.md}
 * @param text    the whole file decoded as UTF-8, unmodified (no BOM stripping, no line-end changes), so that
 *                chunk offsets index the same string a reader gets from {@code Files.readString}
 */
public record SourceDocument(String path, String text) {
}
