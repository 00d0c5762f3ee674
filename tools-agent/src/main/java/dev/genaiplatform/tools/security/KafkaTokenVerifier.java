package dev.genaiplatform.tools.security;

import dev.genaiplatform.contracts.PlatformHeaders;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;

import java.nio.charset.StandardCharsets;

/**
 * Verifies the internal token a Kafka record carries in header {@code platform-auth}, with the same decoder as
 * HTTP (signature, issuer, audience, expiry). A record without a valid token is never acted on: the exception
 * sends it to the dead-letter topic with the reason in its headers.
 */
public final class KafkaTokenVerifier {

    private final JwtDecoder decoder;

    public KafkaTokenVerifier(JwtDecoder decoder) {
        this.decoder = decoder;
    }

    public Caller verify(Headers headers) {
        Header header = headers.lastHeader(PlatformHeaders.AUTHORIZATION);
        if (header == null || header.value() == null || header.value().length == 0) {
            throw new UnauthenticatedRecordException("The record has no " + PlatformHeaders.AUTHORIZATION + " header");
        }
        try {
            return Caller.of(decoder.decode(new String(header.value(), StandardCharsets.UTF_8)));
        } catch (JwtException | IllegalArgumentException e) {
            throw new UnauthenticatedRecordException("The record's internal token is invalid: " + e.getMessage());
        }
    }

    /** Not retryable: the same record fails the same way every time. */
    public static final class UnauthenticatedRecordException extends RuntimeException {
        public UnauthenticatedRecordException(String message) {
            super(message);
        }
    }
}
