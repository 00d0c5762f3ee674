package dev.genaiplatform.retrieval.catalog;

import java.time.Instant;
import java.util.Map;

/**
 * A vector store of a tenant.
 *
 * @param chunking the default chunking strategy of files added to it, as OpenAI's JSON object
 */
public record VectorStoreRow(String id, String tenantId, String name, Map<String, Object> chunking,
                             Map<String, Object> metadata, Instant createdAt, Instant lastActiveAt) {
}
