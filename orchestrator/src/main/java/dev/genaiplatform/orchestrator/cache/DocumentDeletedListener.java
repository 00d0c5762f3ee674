package dev.genaiplatform.orchestrator.cache;

import dev.genaiplatform.contracts.PlatformHeaders;
import dev.genaiplatform.contracts.Topics;
import dev.genaiplatform.contracts.retrieval.DocumentDeletedEvent;
import dev.genaiplatform.contracts.security.InternalToken;
import dev.genaiplatform.orchestrator.semantic.SemanticAnswerCache;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;

import java.nio.charset.StandardCharsets;

/**
 * Drops cached answers built on a document version that left the index ({@value Topics#RETRIEVAL_DOCUMENT_DELETED}).
 * The record must carry a valid internal token whose tenant is the event's tenant; anything else goes to the
 * dead-letter topic with the reason and is never acted on, so nobody can purge another tenant's cache.
 */
public class DocumentDeletedListener {

    private static final Logger log = LoggerFactory.getLogger(DocumentDeletedListener.class);
    static final String REASON_HEADER = "platform-dlt-reason";

    private final ExactAnswerCache cache;
    private final SemanticAnswerCache semanticCache;
    private final JwtDecoder decoder;
    private final KafkaTemplate<Object, Object> kafka;

    public DocumentDeletedListener(ExactAnswerCache cache, SemanticAnswerCache semanticCache, JwtDecoder decoder,
                                   KafkaTemplate<Object, Object> kafka) {
        this.cache = cache;
        this.semanticCache = semanticCache;
        this.decoder = decoder;
        this.kafka = kafka;
    }

    // one group per cache: the instances that share a Redis share the group; another region (its own Redis) sets
    // CACHE_INVALIDATION_GROUP so it hears every deletion too
    @KafkaListener(id = "orchestrator-document-deleted", groupId = "${CACHE_INVALIDATION_GROUP:orchestrator-cache}",
            topics = Topics.RETRIEVAL_DOCUMENT_DELETED)
    public void onDocumentDeleted(ConsumerRecord<String, DocumentDeletedEvent> record) {
        DocumentDeletedEvent event = record.value();
        Header auth = record.headers().lastHeader(PlatformHeaders.AUTHORIZATION);
        if (event == null) {
            deadLetter(record, "unreadable record");
            return;
        }
        if (auth == null) {
            deadLetter(record, "no " + PlatformHeaders.AUTHORIZATION + " header");
            return;
        }
        Jwt token;
        try {
            token = this.decoder.decode(new String(auth.value(), StandardCharsets.UTF_8));
        }
        catch (JwtException invalid) {
            deadLetter(record, "invalid internal token: " + invalid.getMessage());
            return;
        }
        String tenant = token.getClaimAsString(InternalToken.CLAIM_TENANT);
        if (!tenant.equals(event.tenantId())) {
            deadLetter(record, "token tenant does not own the event");
            return;
        }
        long evicted = this.cache.evictDocument(tenant, event.fileId())
                + this.semanticCache.evictDocument(tenant, event.fileId());
        log.info("Document {}@{} of tenant {} left the index ({}): {} cached answers dropped", event.fileId(),
                event.version(), tenant, event.reason(), evicted);
    }

    private void deadLetter(ConsumerRecord<String, DocumentDeletedEvent> record, String reason) {
        log.warn("Document-deleted record at offset {} refused: {}", record.offset(), reason);
        ProducerRecord<Object, Object> dead = new ProducerRecord<>(Topics.deadLetter(record.topic()), record.key(),
                record.value());
        record.headers().forEach(header -> dead.headers().add(header));
        dead.headers().add(REASON_HEADER, reason.getBytes(StandardCharsets.UTF_8));
        this.kafka.send(dead);
    }
}
