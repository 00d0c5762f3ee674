package dev.genaiplatform.orchestrator.batch;

import dev.genaiplatform.contracts.PlatformHeaders;
import dev.genaiplatform.contracts.Topics;
import dev.genaiplatform.contracts.chat.BatchLineQueuedCommand;
import dev.genaiplatform.contracts.chat.BatchLineQueuedCommand.PriorityClass;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.SendResult;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Puts lines on {@value Topics#CHAT_BATCH_LINE_QUEUED} ({@code BULK} lines on {@value Topics#CHAT_BULK_LINE_QUEUED}),
 * one record per line keyed by batch id and line (lines need no
 * order, so one batch spreads over every partition and consumer), each carrying a gateway
 * token of the batch's tenant and key in {@code platform-auth} (ADR 0004). Sends are confirmed before the caller goes
 * on: a batch is answered only once its lines are on the broker.
 */
final class WorkQueue {

    private final KafkaTemplate<String, byte[]> kafka;
    private final JsonMapper json;

    WorkQueue(KafkaTemplate<String, byte[]> kafka, JsonMapper json) {
        this.kafka = kafka;
        this.json = json;
    }

    /** One line to queue; {@code priority} picks the topic ({@code BULK} lines have their own). */
    record Item(String batchId, int index, String provider, PriorityClass priority) {
    }

    static String topicOf(PriorityClass priority) {
        return priority == PriorityClass.BULK ? Topics.CHAT_BULK_LINE_QUEUED : Topics.CHAT_BATCH_LINE_QUEUED;
    }

    /** Publishes and waits for the broker's acknowledgement of every record; throws when one is not confirmed. */
    void publish(List<Item> items, String tenantId, String token) {
        Instant now = Instant.now();
        List<CompletableFuture<SendResult<String, byte[]>>> sends = new ArrayList<>(items.size());
        for (Item item : items) {
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(topicOf(item.priority()),
                    item.batchId() + ":" + item.index(),
                    this.json.writeValueAsBytes(new BatchLineQueuedCommand(item.batchId(), item.index(), item.provider(),
                            item.priority(), now)));
            record.headers().add(PlatformHeaders.AUTHORIZATION, token.getBytes(StandardCharsets.UTF_8));
            record.headers().add(PlatformHeaders.TENANT_ID, tenantId.getBytes(StandardCharsets.UTF_8));   // logs only
            sends.add(this.kafka.send(record));
        }
        try {
            CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        }
        catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while queueing batch lines", interrupted);
        }
        catch (ExecutionException | TimeoutException failed) {
            throw new IllegalStateException("batch lines could not be queued on Kafka", failed);
        }
    }
}
