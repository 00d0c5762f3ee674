package dev.genaiplatform.orchestrator.semantic;

import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * The semantic cache ({@code platform.orchestrator.semantic-cache.*}).
 *
 * @param enabled    off by default: it loads an embedding model (~0.35 GB) and trades a measured wrong-hit risk
 *                   for hits; turn it on where repeated questions are common and answers do not depend on wording
 * @param threshold  cosine similarity at or above which a cached question may answer a new one, if the
 *                   agreement check also passes; calibrated on the committed pair set (see README)
 * @param ttl        how long entries live (documents that change evict earlier)
 * @param maxEntries entries per scope (tenant, groups, model, prompt version, stores); more are not stored
 */
public record SemanticCacheSettings(@DefaultValue("false") boolean enabled, @DefaultValue("0.90") double threshold,
                                    @DefaultValue("1h") Duration ttl, @DefaultValue("2000") int maxEntries) {
}
