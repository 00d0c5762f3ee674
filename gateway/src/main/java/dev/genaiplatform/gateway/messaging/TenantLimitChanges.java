package dev.genaiplatform.gateway.messaging;

import java.time.Instant;
import java.util.UUID;

import dev.genaiplatform.contracts.Topics;
import dev.genaiplatform.contracts.gateway.TenantLimitsChangedEvent;
import dev.genaiplatform.gateway.tenant.ApiKeyCache;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Changes of a tenant's limits, fanned out to every gateway instance the way revocations are
 * ({@link ApiKeyRevocations}): PostgreSQL holds the new limits; this instance drops the tenant's cached keys at
 * once and the event on {@value Topics#GATEWAY_TENANT_LIMITS_CHANGED} tells the others to do the same, so their
 * next request of the tenant reads the new limits. A lost event is bounded by {@code key-cache-ttl}.
 */
public class TenantLimitChanges {

    private static final Logger log = LoggerFactory.getLogger(TenantLimitChanges.class);

    private final ApiKeyCache cache;

    private final KafkaTemplate<String, Object> kafka;

    public TenantLimitChanges(ApiKeyCache cache, KafkaTemplate<String, Object> kafka) {
        this.cache = cache;
        this.kafka = kafka;
    }

    /** Drops the tenant's keys here and tells the other instances. */
    public void changed(String tenantId, String actor) {
        cache.evictTenant(tenantId);
        TenantLimitsChangedEvent event = new TenantLimitsChangedEvent(UUID.randomUUID().toString(), Instant.now(), tenantId,
                actor);
        kafka.send(Topics.GATEWAY_TENANT_LIMITS_CHANGED, tenantId, event).whenComplete((sent, failure) -> {
            if (failure != null) {
                log.warn("Limit change of tenant {} not published; other instances apply it when their cache expires: {}",
                        tenantId, failure.toString());
            }
        });
    }

    @KafkaListener(topics = Topics.GATEWAY_TENANT_LIMITS_CHANGED, groupId = "gateway-limits-#{T(java.util.UUID).randomUUID()}",
            properties = { "auto.offset.reset=latest",
                "spring.json.value.default.type=dev.genaiplatform.contracts.gateway.TenantLimitsChangedEvent" })
    public void onChanged(TenantLimitsChangedEvent event) {
        cache.evictTenant(event.tenantId());
        log.info("Limits of tenant {} changed", event.tenantId());
    }
}
