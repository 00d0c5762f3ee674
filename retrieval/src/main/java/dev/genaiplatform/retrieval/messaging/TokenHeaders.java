package dev.genaiplatform.retrieval.messaging;

import dev.genaiplatform.contracts.PlatformHeaders;
import dev.genaiplatform.retrieval.security.Caller;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;

import java.nio.charset.StandardCharsets;

/** The internal token of a Kafka record ({@code platform-auth}), verified like an HTTP bearer token. */
final class TokenHeaders {

    /** Thrown for a record without a valid token; the error handler dead-letters it with this message. */
    static final class InvalidRecordTokenException extends RuntimeException {
        InvalidRecordTokenException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private TokenHeaders() {
    }

    static Caller verify(ConsumerRecord<?, ?> record, JwtDecoder decoder) {
        Header header = record.headers().lastHeader(PlatformHeaders.AUTHORIZATION);
        if (header == null || header.value() == null || header.value().length == 0) {
            throw new InvalidRecordTokenException("No " + PlatformHeaders.AUTHORIZATION + " header", null);
        }
        try {
            return Caller.of(decoder.decode(new String(header.value(), StandardCharsets.UTF_8)));
        } catch (JwtException e) {
            throw new InvalidRecordTokenException("Invalid " + PlatformHeaders.AUTHORIZATION + " token: " + e.getMessage(), e);
        }
    }
}
