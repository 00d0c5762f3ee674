package dev.genaiplatform.gateway.messaging;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.SecurityContext;
import dev.genaiplatform.contracts.PlatformHeaders;
import dev.genaiplatform.contracts.Topics;
import dev.genaiplatform.contracts.gateway.ApiKeyRevokedEvent;
import dev.genaiplatform.gateway.tenant.ApiKeyCache;
import dev.genaiplatform.gateway.tenant.ApiKeyStore;
import dev.genaiplatform.gateway.token.InternalTokenIssuer;
import dev.genaiplatform.gateway.token.SigningKeyRing;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/** A revocation leaves with proof of its publisher: the orchestrator stops batches only on a signed one. */
class ApiKeyRevocationsTests {

    @Test
    @SuppressWarnings("unchecked")
    void aRevocationCarriesAnAdminTokenOfTheTenantNamingTheActingKey() {
        SigningKeyRing ring = new SigningKeyRing(Duration.ofHours(24), Duration.ofMinutes(3), Duration.ofHours(25),
                Clock.systemUTC());
        InternalTokenIssuer issuer = new InternalTokenIssuer(ring, Duration.ofMinutes(2), Duration.ofSeconds(60),
                Duration.ofHours(25), Clock.systemUTC());
        KafkaTemplate<String, Object> kafka = mock(KafkaTemplate.class);
        when(kafka.send(any(ProducerRecord.class))).thenReturn(new CompletableFuture<>());
        ApiKeyRevocations revocations = new ApiKeyRevocations(
                new ApiKeyCache(mock(ApiKeyStore.class), Duration.ofSeconds(30)), kafka, issuer);

        revocations.revoked(new ApiKeyStore.RevokedKey("00aa11bb22cc33dd", "acme"), "admin-key-1");

        ArgumentCaptor<ProducerRecord<String, Object>> sent = ArgumentCaptor.forClass(ProducerRecord.class);
        verify(kafka).send(sent.capture());
        ProducerRecord<String, Object> record = sent.getValue();
        assertThat(record.topic()).isEqualTo(Topics.GATEWAY_API_KEY_REVOKED);
        ApiKeyRevokedEvent event = (ApiKeyRevokedEvent) record.value();
        Jwt token = NimbusJwtDecoder.withJwkSource(new ImmutableJWKSet<SecurityContext>(ring.publicKeys()))
            .jwsAlgorithm(SignatureAlgorithm.ES256).build()
            .decode(new String(record.headers().lastHeader(PlatformHeaders.AUTHORIZATION).value(),
                    StandardCharsets.UTF_8));
        assertThat(token.getClaimAsString("tenant")).isEqualTo("acme");
        assertThat(token.getClaimAsString("scope")).isEqualTo("admin");
        assertThat(token.getSubject()).isEqualTo("admin-key-1");
        assertThat(token.getClaimAsString("rid")).isEqualTo(event.eventId());
    }
}
