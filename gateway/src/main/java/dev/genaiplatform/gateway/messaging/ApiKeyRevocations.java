package dev.genaiplatform.gateway.messaging;

import java.time.Instant;
import java.util.UUID;

import dev.genaiplatform.contracts.Topics;
import dev.genaiplatform.contracts.gateway.ApiKeyRevokedEvent;
import dev.genaiplatform.gateway.tenant.ApiKeyCache;
import dev.genaiplatform.gateway.tenant.ApiKeyStore.RevokedKey;
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
 * <p>Instance-to-instance: the records carry no internal token (each instance signs with its own keys, which
 * the others do not hold); what protects the topic is the broker's credentials.
 */
public class ApiKeyRevocations {

    private static final Logger log = LoggerFactory.getLogger(ApiKeyRevocations.class);

    private final ApiKeyCache cache;

    private final KafkaTemplate<String, Object> kafka;

    public ApiKeyRevocations(ApiKeyCache cache, KafkaTemplate<String, Object> kafka) {
        this.cache = cache;
        this.kafka = kafka;
    }

    /** Drops the key here and tells the other instances. */
    public void revoked(RevokedKey key, String actor) {
        cache.evict(key.id());
        ApiKeyRevokedEvent event = new ApiKeyRevokedEvent(UUID.randomUUID().toString(), Instant.now(), key.tenantId(),
                key.id(), actor);
        kafka.send(Topics.GATEWAY_API_KEY_REVOKED, key.id(), event).whenComplete((sent, failure) -> {
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
