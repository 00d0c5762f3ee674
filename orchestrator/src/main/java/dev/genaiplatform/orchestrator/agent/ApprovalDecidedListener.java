package dev.genaiplatform.orchestrator.agent;

import dev.genaiplatform.contracts.PlatformHeaders;
import dev.genaiplatform.contracts.Topics;
import dev.genaiplatform.contracts.security.InternalToken;
import dev.genaiplatform.contracts.tools.ToolApprovalDecidedEvent;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.MessageListener;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;

/**
 * Resumes parked runs from {@value Topics#TOOLS_APPROVAL_DECIDED}: every decision, whichever way it reached
 * tools-agent (this API, tools-agent's own API, its expiry sweep), also after this service restarted. The record's
 * token must verify and belong to the run's tenant; it becomes the token the resumed run acts with. A record
 * without a valid token goes to the dead-letter topic with the reason and resumes nothing.
 */
class ApprovalDecidedListener implements MessageListener<String, byte[]>, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ApprovalDecidedListener.class);
    static final String REASON_HEADER = "platform-dlt-reason";

    private final AgentRuns runs;
    private final AgentRunStore store;
    private final JwtDecoder decoder;
    private final KafkaTemplate<String, byte[]> kafka;
    private final JsonMapper json;

    ApprovalDecidedListener(AgentRuns runs, AgentRunStore store, JwtDecoder decoder, KafkaTemplate<String, byte[]> kafka,
                            JsonMapper json) {
        this.runs = runs;
        this.store = store;
        this.decoder = decoder;
        this.kafka = kafka;
        this.json = json;
    }

    @Override
    public void onMessage(ConsumerRecord<String, byte[]> record) {
        Header auth = record.headers().lastHeader(PlatformHeaders.AUTHORIZATION);
        if (auth == null && record.headers().lastHeader(KafkaHeaders.CORRELATION_ID) != null) {
            return;   // a reply to someone's request on the shared topic; the asker handles it
        }
        ToolApprovalDecidedEvent event;
        try {
            event = record.value() == null ? null : this.json.readValue(record.value(), ToolApprovalDecidedEvent.class);
        }
        catch (JacksonException unreadable) {
            event = null;
        }
        if (event == null) {
            deadLetter(record, "unreadable record");
            return;
        }
        if (!event.accepted() || event.runId() == null) {
            return;   // a refused decision changes nothing; a call outside any run is not ours
        }
        PendingApproval approval = this.store.approval(event.approvalId()).orElse(null);
        if (approval == null) {
            return;   // a run of another orchestrator deployment, or a call made outside the agent API
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
        if (!approval.tenantId().equals(token.getClaimAsString(InternalToken.CLAIM_TENANT))) {
            deadLetter(record, "token tenant does not own the run");
            return;
        }
        if (this.runs.resume(event, new RunToken(token.getTokenValue(), token.getExpiresAt()), "event")) {
            log.info("Run {} took decision {} on approval {}", approval.runId(), event.decision(), event.approvalId());
        }
    }

    /** Closes the dead-letter producer with the context. */
    @Override
    public void close() {
        this.kafka.getProducerFactory().reset();
    }

    private void deadLetter(ConsumerRecord<String, byte[]> record, String reason) {
        log.warn("Approval-decided record at offset {} refused: {}", record.offset(), reason);
        ProducerRecord<String, byte[]> dead = new ProducerRecord<>(Topics.deadLetter(record.topic()), record.key(),
                record.value());
        record.headers().forEach(header -> dead.headers().add(header));
        dead.headers().add(REASON_HEADER, reason.getBytes(StandardCharsets.UTF_8));
        this.kafka.send(dead);
    }
}
