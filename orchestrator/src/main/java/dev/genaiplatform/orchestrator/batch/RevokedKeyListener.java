package dev.genaiplatform.orchestrator.batch;

import dev.genaiplatform.contracts.PlatformHeaders;
import dev.genaiplatform.contracts.gateway.ApiKeyRevokedEvent;
import dev.genaiplatform.contracts.security.InternalToken;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.listener.MessageListener;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Revocation still bites a batch that runs on a grant: when the gateway revokes a key
 * ({@code gateway.api-key-revoked.v1}), the open batches that key created stop, their unfinished lines go to the
 * error file as {@code api_key_revoked}, their grants are erased, and the key's tokens held in memory are dropped.
 *
 * <p>Trust: a forged revocation could stop another tenant's batches, so the event is acted on only when its
 * {@code platform-auth} token verifies (signature, issuer, audience; its expiry is not held against it, so a
 * revocation read late still acts), has scope {@code admin} (the gateway signs its administrative events so) and
 * names the event's tenant. Anything else is ignored and counted.
 */
final class RevokedKeyListener implements MessageListener<String, byte[]> {

    private static final Logger log = LoggerFactory.getLogger(RevokedKeyListener.class);

    private final BatchStore store;
    private final ActingTokens tokens;
    private final JwtDecoder decoder;
    private final JsonMapper json;
    private final MeterRegistry meters;

    RevokedKeyListener(BatchStore store, ActingTokens tokens, JwtDecoder decoder, JsonMapper json,
                       MeterRegistry meters) {
        this.store = store;
        this.tokens = tokens;
        this.decoder = decoder;
        this.json = json;
        this.meters = meters;
    }

    @Override
    public void onMessage(ConsumerRecord<String, byte[]> record) {
        ApiKeyRevokedEvent event;
        try {
            event = this.json.readValue(record.value(), ApiKeyRevokedEvent.class);
        }
        catch (JacksonException | IllegalArgumentException unreadable) {
            log.warn("Unreadable key revocation at {}-{}@{} ignored", record.topic(), record.partition(),
                    record.offset());
            return;
        }
        if (event == null || event.tenantId() == null || event.keyId() == null) {
            return;
        }
        Header auth = record.headers().lastHeader(PlatformHeaders.AUTHORIZATION);
        if (auth == null || !publishedByTheGateway(new String(auth.value(), StandardCharsets.UTF_8), event)) {
            this.meters.counter("platform.batch.revocations.ignored").increment();
            log.warn("Key revocation for key {} of tenant {} without a valid gateway token; ignored", event.keyId(),
                    event.tenantId());
            return;
        }
        this.tokens.forget(event.tenantId(), event.keyId());
        List<String> stopped = this.store.stopBatchesOfRevokedKey(event.tenantId(), event.keyId());
        if (!stopped.isEmpty()) {
            this.meters.counter("platform.batch.stopped.revoked").increment(stopped.size());
            log.info("Key {} of tenant {} revoked: batches {} stopped", event.keyId(), event.tenantId(), stopped);
        }
    }

    private boolean publishedByTheGateway(String token, ApiKeyRevokedEvent event) {
        Jwt jwt;
        try {
            jwt = this.decoder.decode(token);
        }
        catch (JwtException forged) {
            return false;
        }
        String scope = jwt.getClaimAsString(InternalToken.CLAIM_SCOPE);
        return scope != null && List.of(scope.split(" ")).contains(InternalToken.SCOPE_ADMIN)
                && event.tenantId().equals(jwt.getClaimAsString(InternalToken.CLAIM_TENANT));
    }
}
