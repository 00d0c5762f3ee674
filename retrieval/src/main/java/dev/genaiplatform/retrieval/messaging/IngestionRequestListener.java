package dev.genaiplatform.retrieval.messaging;

import dev.genaiplatform.contracts.PlatformHeaders;
import dev.genaiplatform.contracts.Topics;
import dev.genaiplatform.contracts.retrieval.IngestionRequestedEvent;
import dev.genaiplatform.retrieval.ingest.IngestionPipeline;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;

/**
 * The ingestion work queue: one file version per record, one at a time per instance (embedding uses both cores
 * anyway). The offset is committed after the pipeline returns, so a crash mid-file redelivers the record and the
 * file is ingested again from the start; until then it stays {@code in_progress} and none of it is searchable.
 *
 * <p>No token check here, by design (ADR 0004: work that outlives its request's token is authorised when
 * accepted): the record only names a catalogue row that an authorised request created, and the pipeline reads
 * tenant, groups and bytes from that row. A forged record can at most repeat an accepted ingestion.
 */
@Component
class IngestionRequestListener {

    private final IngestionPipeline pipeline;

    IngestionRequestListener(IngestionPipeline pipeline) {
        this.pipeline = pipeline;
    }

    @KafkaListener(id = "retrieval-ingestion", topics = Topics.RETRIEVAL_INGESTION_REQUESTED, concurrency = "1",
            properties = "spring.json.value.default.type=dev.genaiplatform.contracts.retrieval.IngestionRequestedEvent")
    void onRequested(IngestionRequestedEvent event,
                     @Header(name = PlatformHeaders.AUTHORIZATION, required = false) byte[] token) {
        if (event == null || event.vectorStoreId() == null || event.fileId() == null) {
            throw new IllegalArgumentException("An ingestion request must name a vector store and a file");
        }
        // the uploader's token only travels on to guardrails, which records verdict events with it while it verifies
        pipeline.ingest(event.vectorStoreId(), event.fileId(), event.version(),
                token == null ? null : new String(token, StandardCharsets.UTF_8));
    }
}
