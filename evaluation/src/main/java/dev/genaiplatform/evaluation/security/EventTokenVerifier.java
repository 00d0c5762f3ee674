package dev.genaiplatform.evaluation.security;

import dev.genaiplatform.contracts.security.InternalToken;
import dev.genaiplatform.tokenverification.CachingJwtDecoder;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;

import java.time.Duration;
import java.time.Instant;

/**
 * Verifies the internal token a Kafka record carries in {@value InternalToken#KAFKA_HEADER}: signature, issuer,
 * audience and tenant as on HTTP, and expiry against the time the record was produced rather than now, so
 * events that waited in the topic during an outage of this service are still accepted. A token that had
 * already expired when the record was written is refused.
 */
public class EventTokenVerifier {

    /** Clock difference tolerated between the producer and the gateway that signed the token. */
    static final Duration CLOCK_SKEW = Duration.ofSeconds(60);

    private final JwtDecoder decoder;

    /**
     * One request's token arrives on several records (its completion and every guardrail verdict): each distinct
     * token is verified once and remembered until its expiry ({@link CachingJwtDecoder}).
     */
    public EventTokenVerifier(SecurityProperties properties) {
        this(new CachingJwtDecoder(InternalTokens.decoderIgnoringExpiry(properties)));
    }

    EventTokenVerifier(JwtDecoder decoderIgnoringExpiry) {
        this.decoder = decoderIgnoringExpiry;
    }

    /**
     * @param token      the raw JWT from the record header
     * @param producedAt the record's timestamp
     * @return the verified token
     * @throws org.springframework.security.oauth2.jwt.JwtException when it must not be trusted
     */
    public Jwt verify(String token, Instant producedAt) {
        Jwt jwt = decoder.decode(token);
        Instant expiresAt = jwt.getExpiresAt();
        if (expiresAt == null) {
            throw new BadJwtException("the token has no expiry (exp)");
        }
        if (producedAt.isAfter(expiresAt.plus(CLOCK_SKEW))) {
            throw new BadJwtException("the token had expired at " + expiresAt + " before the record was produced at "
                    + producedAt);
        }
        return jwt;
    }
}
