package dev.genaiplatform.orchestrator.batch;

import dev.genaiplatform.contracts.PlatformHeaders;
import dev.genaiplatform.contracts.Topics;
import dev.genaiplatform.contracts.chat.BatchLineQueuedCommand;
import dev.genaiplatform.contracts.chat.BatchLineQueuedCommand.PriorityClass;
import dev.genaiplatform.contracts.security.InternalToken;
import dev.genaiplatform.orchestrator.chat.ChatPipeline;
import dev.genaiplatform.orchestrator.security.Caller;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.AcknowledgingMessageListener;
import org.springframework.kafka.support.Acknowledgment;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Runs queued lines. For each record: verify its token (ADR 0004: signed by the gateway, for this batch's tenant and
 * key; see README "Authority" for why its expiry is not checked here), read the line and its batch from the store
 * (never from the record), wait for the provider's token bucket, claim the line, run it through the chat pipeline
 * with a live token of the batch's key, and record the result under the claim. A record of a line that is already
 * finished or held is acknowledged and dropped, so a redelivery never calls the model twice.
 */
final class BatchWorker implements AcknowledgingMessageListener<String, byte[]> {

    private static final Logger log = LoggerFactory.getLogger(BatchWorker.class);
    static final String REASON_HEADER = "platform-dlt-reason";
    /** Waits for the bucket up to this long in place; a longer wait hands the record back to the broker. */
    private static final Duration WAIT_IN_PLACE = Duration.ofSeconds(1);
    /** A bulk line that finds an ordinary batch line waiting is handed back for this long (see {@link BulkGate}). */
    static final Duration BULK_YIELD = Duration.ofMillis(500);

    private final BatchStore store;
    private final ChatPipeline pipeline;
    private final ProviderBuckets buckets;
    private final ActingTokens tokens;
    private final BatchGrants grants;
    private final JwtDecoder decoder;
    private final KafkaTemplate<String, byte[]> deadLetters;
    private final BatchSettings settings;
    private final JsonMapper json;
    private final MeterRegistry meters;

    BatchWorker(BatchStore store, ChatPipeline pipeline, ProviderBuckets buckets, ActingTokens tokens,
                BatchGrants grants, JwtDecoder decoder, KafkaTemplate<String, byte[]> deadLetters, BatchSettings settings, JsonMapper json,
                MeterRegistry meters) {
        this.store = store;
        this.pipeline = pipeline;
        this.buckets = buckets;
        this.tokens = tokens;
        this.grants = grants;
        this.decoder = decoder;
        this.deadLetters = deadLetters;
        this.settings = settings;
        this.json = json;
        this.meters = meters;
    }

    @Override
    public void onMessage(ConsumerRecord<String, byte[]> record, Acknowledgment ack) {
        Header auth = record.headers().lastHeader(PlatformHeaders.AUTHORIZATION);
        if (auth == null) {
            deadLetter(record, ack, "no " + PlatformHeaders.AUTHORIZATION + " header");
            return;
        }
        Jwt token;
        try {
            token = this.decoder.decode(new String(auth.value(), StandardCharsets.UTF_8));
        }
        catch (JwtException invalid) {
            deadLetter(record, ack, "invalid internal token: " + invalid.getMessage());
            return;
        }
        BatchLineQueuedCommand command;
        try {
            command = this.json.readValue(record.value(), BatchLineQueuedCommand.class);
        }
        catch (JacksonException | IllegalArgumentException unreadable) {
            command = null;
        }
        if (command == null || command.batchId() == null) {
            deadLetter(record, ack, "unreadable record");
            return;
        }
        Batch batch = this.store.find(command.batchId()).orElse(null);
        if (batch == null) {
            deadLetter(record, ack, "no batch " + command.batchId());
            return;
        }
        if (!batch.tenantId().equals(token.getClaimAsString(InternalToken.CLAIM_TENANT))
                || !batch.keyId().equals(token.getSubject())) {
            deadLetter(record, ack, "the token is not of the batch's tenant and key");
            return;
        }
        run(batch, command.lineIndex(), token, ack);
    }

    private void run(Batch batch, int index, Jwt recordToken, Acknowledgment ack) {
        BatchLine line = this.store.line(batch.id(), index).orElse(null);
        if (line == null || !Batch.IN_PROGRESS.equals(batch.status()) || !BatchLine.QUEUED.equals(line.status())) {
            // finished, cancelled, parked or held by another take: this delivery has nothing to do
            this.meters.counter("platform.batch.lines.skipped").increment();
            ack.acknowledge();
            return;
        }
        if (batch.priority() == PriorityClass.BULK && this.store.batchLinesWaiting()) {
            // bulk work runs only while no ordinary batch line waits; the gate pauses the bulk consumers, this closes
            // the race of a bulk record fetched just before a batch line was queued
            this.meters.counter("platform.batch.bulk.yielded").increment();
            ack.nack(BULK_YIELD);
            return;
        }
        Optional<Jwt> acting = this.tokens.actingFor(batch.tenantId(), batch.keyId(), recordToken);
        if (acting.isEmpty()) {
            // a record queued without the grant (or before a restart): the grant kept with the batch, if any
            acting = this.tokens.actingFor(batch.tenantId(), batch.keyId(),
                    this.grants.decodeStored(this.store.grant(batch.id())));
        }
        if (acting.isEmpty()) {
            this.store.park(batch.id(), index);
            this.meters.counter("platform.batch.lines.parked").increment();
            ack.acknowledge();
            return;
        }
        Duration wait = this.buckets.take(line.provider());
        if (!wait.isZero()) {
            if (wait.compareTo(WAIT_IN_PLACE) > 0) {
                ack.nack(wait);   // the provider has no capacity for batch work now: the broker hands it back later
                return;
            }
            sleep(wait);
            if (!this.buckets.take(line.provider()).isZero()) {
                ack.nack(WAIT_IN_PLACE);
                return;
            }
        }
        String claimId = UUID.randomUUID().toString();
        if (!this.store.claim(batch.id(), index, claimId, this.settings.claimLease())) {
            ack.acknowledge();
            return;
        }
        Instant started = Instant.now();
        ChatPipeline.Outcome outcome = this.pipeline.complete(line.body(), caller(batch, acting.get()));
        this.meters.timer("platform.batch.line.duration", "provider", line.provider())
                .record(Duration.between(started, Instant.now()));
        switch (outcome) {
            case ChatPipeline.Answered answered -> finish(batch, line, claimId, BatchLine.SUCCEEDED,
                    response(200, answered.requestId(), answered.body()));
            case ChatPipeline.Refused refused when refused.retryable()
                    && line.attempts() + 1 < this.settings.maxAttempts() -> {
                this.store.release(batch.id(), index, claimId, BatchLine.QUEUED);
                this.meters.counter("platform.batch.lines.retried").increment();
                ack.nack(backoff(this.settings, line.attempts() + 1, refused.retryAfter()));
                return;
            }
            case ChatPipeline.Refused refused -> finish(batch, line, claimId, BatchLine.FAILED,
                    response(refused.type().status(), refused.requestId(), error(refused)));
        }
        this.store.finalizeIfDone(batch.id());
        ack.acknowledge();
    }

    /** Exponential: {@code retry-backoff} after the first take, doubled after each, capped; a longer Retry-After wins. */
    static Duration backoff(BatchSettings settings, int takes, Duration retryAfter) {
        Duration wait = settings.retryBackoff().multipliedBy(1L << Math.min(takes - 1, 20));
        if (retryAfter != null && retryAfter.compareTo(wait) > 0) {
            wait = retryAfter;
        }
        return wait.compareTo(settings.retryBackoffCap()) > 0 ? settings.retryBackoffCap() : wait;
    }

    private void finish(Batch batch, BatchLine line, String claimId, String status, ObjectNode response) {
        ObjectNode result = InputLines.resultLine(this.json, line.customId(), response, null);
        if (this.store.finish(batch.id(), line.index(), claimId, status, result)) {
            this.meters.counter("platform.batch.lines.finished", "status", status).increment();
        }
        else {
            log.info("Batch {} line {}: the result came after the line was cancelled, expired or taken over; dropped",
                    batch.id(), line.index());
        }
    }

    /**
     * The caller a line acts as: the batch's tenant, key, user, groups and the models its key could use when the
     * batch was accepted; the acting token only carries it to guardrails and retrieval.
     */
    private Caller caller(Batch batch, Jwt acting) {
        return new Caller(batch.tenantId(), batch.keyId(), Set.of(InternalToken.SCOPE_CHAT), batch.models(),
                batch.id(), batch.userId(), batch.groups(), Instant.now().plus(this.settings.lineTimeout()),
                acting.getTokenValue());
    }

    private ObjectNode response(int status, String requestId, tools.jackson.databind.JsonNode body) {
        ObjectNode response = this.json.createObjectNode();
        response.put("status_code", status);
        response.put("request_id", requestId);
        response.set("body", body);
        return response;
    }

    private ObjectNode error(ChatPipeline.Refused refused) {
        ObjectNode error = this.json.createObjectNode();
        error.put("message", refused.message());
        error.put("type", refused.type().kind().wireName());
        error.put("code", refused.type().code());
        error.put("param", refused.param());
        ObjectNode body = this.json.createObjectNode();
        body.set("error", error);
        return body;
    }

    private void deadLetter(ConsumerRecord<String, byte[]> record, Acknowledgment ack, String reason) {
        log.warn("Batch line record at {}-{}@{} refused: {}", record.topic(), record.partition(), record.offset(),
                reason);
        ProducerRecord<String, byte[]> dead = new ProducerRecord<>(Topics.deadLetter(record.topic()),
                record.key(), record.value());
        record.headers().forEach(header -> {
            if (!PlatformHeaders.AUTHORIZATION.equals(header.key())) {
                dead.headers().add(header);
            }
        });
        dead.headers().add(REASON_HEADER, reason.getBytes(StandardCharsets.UTF_8));
        this.deadLetters.send(dead);
        ack.acknowledge();
    }

    private static void sleep(Duration wait) {
        try {
            Thread.sleep(wait);
        }
        catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
