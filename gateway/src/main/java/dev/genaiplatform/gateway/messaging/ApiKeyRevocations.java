package dev.genaiplatform.gateway.messaging;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

import dev.genaiplatform.contracts.PlatformHeaders;
import dev.genaiplatform.contracts.Topics;
import dev.genaiplatform.contracts.gateway.ApiKeyRevokedEvent;
import dev.genaiplatform.gateway.tenant.ApiKeyCache;
import dev.genaiplatform.gateway.tenant.ApiKeyStore.RevokedKey;
import dev.genaiplatform.gateway.token.InternalTokenIssuer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Revocations, fanned out to every gateway instance. The store (PostgreSQL) is the truth and this instance
 * drops the key from its cache at once; the event on {@value Topics#GATEWAY_API_KEY_REVOKED} tells the other
 * instances to do the same. Each instance listens in a consumer group of its own, so every instance gets every
 * event. If the broker is unreachable the event is lost, the revocation is not: other instances stop accepting
 * the key when their cache entry expires ({@code platform.gateway.key-cache-ttl}).
 *
 * <p>Each record carries an internal token in {@code platform-auth} (scope {@code admin}, the tenant concerned,
 * {@code sub} the admin key that acted): the orchestrator stops a revoked key's batches only on a record whose
 * token verifies, so a principal that can merely write to the topic cannot stop another tenant's batches. Other
 * gateway instances do not check it (an eviction from their key cache costs one database read, nothing more).
 */
public class ApiKeyRevocations {

    private static final Logger log = LoggerFactory.getLogger(ApiKeyRevocations.class);

    private final ApiKeyCache cache;

    private final KafkaTemplate<String, Object> kafka;

    private final InternalTokenIssuer tokens;

    public ApiKeyRevocations(ApiKeyCache cache, KafkaTemplate<String, Object> kafka, InternalTokenIssuer tokens) {
        this.cache = cache;
        this.kafka = kafka;
        this.tokens = tokens;
    }

    /** Drops the key here and tells the other instances. */
    public void revoked(RevokedKey key, String actor) {
        cache.evict(key.id());
        ApiKeyRevokedEvent event = new ApiKeyRevokedEvent(UUID.randomUUID().toString(), Instant.now(), key.tenantId(),
                key.id(), actor);
        ProducerRecord<String, Object> record = new ProducerRecord<>(Topics.GATEWAY_API_KEY_REVOKED, key.id(), event);
        record.headers().add(PlatformHeaders.AUTHORIZATION,
                tokens.issueForEvent(key.tenantId(), actor, event.eventId()).getBytes(StandardCharsets.UTF_8));
        kafka.send(record).whenComplete((sent, failure) -> {
            if (failure != null) {
                log.warn("Revocation of key {} not published; other instances drop it when their cache expires: {}",
                        key.id(), failure.toString());
            }
        });
    }

    @KafkaListener(topics = Topics.GATEWAY_API_KEY_REVOKED, groupId = "gateway-#{T(java.util.UUID).randomUUID()}",
            properties = "auto.offset.reset=latest")
    public void onRevoked(ApiKeyRevokedEvent event) {
        cache.evict(event.keyId());
        log.info("API key {} of tenant {} revoked", event.keyId(), event.tenantId());
    }
}
