package dev.genaiplatform.guardrails.security;

import dev.genaiplatform.contracts.security.InternalToken;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;

/**
 * Verifies the internal token a Kafka record carries in {@code platform-auth} with the same decoder as HTTP, and
 * gives the tenant it names. A record without a valid token is refused: the listener's error handler sends it
 * to the dead-letter topic with the reason, and it is never acted on.
 */
@Component
public class KafkaTokenVerifier {

    private final JwtDecoder decoder;

    public KafkaTokenVerifier(JwtDecoder decoder) {
        this.decoder = decoder;
    }

    /** The verified token; throws {@link RejectedRecordException} when missing or invalid. */
    public Jwt verify(byte[] header) {
        if (header == null || header.length == 0) {
            throw new RejectedRecordException("no " + InternalToken.KAFKA_HEADER + " header");
        }
        try {
            return decoder.decode(new String(header, StandardCharsets.UTF_8));
        }
        catch (JwtException invalid) {
            throw new RejectedRecordException("invalid internal token: " + invalid.getMessage());
        }
    }

    /** A record that must not be acted on; not retryable. */
    public static final class RejectedRecordException extends RuntimeException {
        public RejectedRecordException(String reason) {
            super(reason);
        }
    }
}
