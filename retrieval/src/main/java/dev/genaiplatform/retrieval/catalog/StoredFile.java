package dev.genaiplatform.retrieval.catalog;

import java.time.Instant;
import java.util.List;

/**
 * An uploaded file (its bytes stay in the catalogue: {@link FileCatalog#content}).
 *
 * @param accessGroups groups allowed to read it; empty means everyone in the tenant
 */
public record StoredFile(String id, String tenantId, String filename, String purpose, long bytes, String sha256,
                         List<String> accessGroups, Instant createdAt) {
}
