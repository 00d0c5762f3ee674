package dev.genaiplatform.retrieval.search;

/**
 * Bounds of one search request.
 *
 * @param defaultTopK   passages returned when the caller does not say
 * @param maxTopK       the most passages one search returns
 * @param maxQueryChars longer queries are cut to this many characters
 */
public record SearchLimits(int defaultTopK, int maxTopK, int maxQueryChars) {
}
