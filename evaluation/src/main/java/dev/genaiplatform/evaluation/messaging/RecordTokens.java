package dev.genaiplatform.evaluation.messaging;

import dev.genaiplatform.contracts.PlatformHeaders;
import dev.genaiplatform.evaluation.security.EventTokenVerifier;
import dev.genaiplatform.evaluation.security.InternalTokens;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/** The tenant of a record, from the internal token in its {@code platform-auth} header, for every listener. */
final class RecordTokens {

    private RecordTokens() {
    }

    /**
     * @throws InvalidCompletionEventException when the header is missing or the token is bad (dead-lettered)
     */
    static String verifiedTenant(ConsumerRecord<?, ?> record, EventTokenVerifier tokens) {
        String token = header(record, PlatformHeaders.AUTHORIZATION);
        if (token == null || token.isBlank()) {
            throw new InvalidCompletionEventException("no " + PlatformHeaders.AUTHORIZATION
                    + " header: the producer must copy the request's internal token onto the event", null);
        }
        // Only a bad token dead-letters the record. Any other JwtException means the gateway's keys could not be
        // fetched (the gateway is down): not the record's fault, so it propagates and is retried with back-off.
        try {
            Jwt jwt = tokens.verify(token, Instant.ofEpochMilli(record.timestamp()));
            return InternalTokens.tenant(jwt);
        } catch (BadJwtException invalid) {
            throw new InvalidCompletionEventException("invalid " + PlatformHeaders.AUTHORIZATION + " token: "
                    + invalid.getMessage(), invalid);
        }
    }

    static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
