package dev.genaiplatform.retrieval.messaging;

import dev.genaiplatform.contracts.PlatformHeaders;
import dev.genaiplatform.contracts.Topics;
import dev.genaiplatform.contracts.retrieval.DocumentDeletedEvent;
import dev.genaiplatform.contracts.retrieval.IngestionProgressedEvent;
import dev.genaiplatform.contracts.retrieval.IngestionRequestedEvent;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;

import java.nio.charset.StandardCharsets;

/**
 * Everything retrieval announces on Kafka. Records are keyed by vector store (the ingestion of one store stays in
 * order) and carry the tenant header for logs; a record produced for a request also carries that request's
 * internal token ({@code platform-auth}), so consumers verify who asked.
 */
public final class RetrievalEvents {

    private static final Logger log = LoggerFactory.getLogger(RetrievalEvents.class);

    private final KafkaTemplate<Object, Object> kafka;

    public RetrievalEvents(KafkaTemplate<Object, Object> kafka) {
        this.kafka = kafka;
    }

    public void ingestionRequested(IngestionRequestedEvent event, String token) {
        send(Topics.RETRIEVAL_INGESTION_REQUESTED, event.vectorStoreId(), event, event.tenantId(), token);
    }

    public void ingestionProgressed(IngestionProgressedEvent event) {
        send(Topics.RETRIEVAL_INGESTION_PROGRESSED, event.vectorStoreId(), event, event.tenantId(), null);
    }

    public void documentDeleted(DocumentDeletedEvent event, String token) {
        send(Topics.RETRIEVAL_DOCUMENT_DELETED, event.fileId(), event, event.tenantId(), token);
    }

    private void send(String topic, String key, Object value, String tenant, String token) {
        ProducerRecord<Object, Object> record = new ProducerRecord<>(topic, key, value);
        record.headers().add(PlatformHeaders.TENANT_ID, tenant.getBytes(StandardCharsets.UTF_8));
        if (token != null) {
            record.headers().add(PlatformHeaders.AUTHORIZATION, token.getBytes(StandardCharsets.UTF_8));
        }
        kafka.send(record).whenComplete((result, failure) -> {
            if (failure != null) {
                // ingestion requests are re-sent at the next start for every file still in progress
                log.warn("Could not publish to {}: {}", topic, failure.getMessage());
            }
        });
    }
}
