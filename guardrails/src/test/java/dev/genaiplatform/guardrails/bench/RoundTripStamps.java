package dev.genaiplatform.guardrails.bench;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import dev.genaiplatform.contracts.Topics;
import dev.genaiplatform.guardrails.TestTokens;
import dev.genaiplatform.guardrails.security.InternalTokenSecurity;
import dev.genaiplatform.tokenverification.CachingJwtDecoder;
import dev.genaiplatform.tokenverification.InternalTokenDecoding;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerInterceptor;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Headers;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.kafka.listener.BatchInterceptor;
import org.springframework.kafka.listener.RecordInterceptor;
import org.springframework.kafka.support.serializer.JacksonJsonSerializer;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

import java.util.Map;

/**
 * Where one round trip of {@link KafkaRoundTripBenchmark} spends its time, stamped with {@link System#nanoTime} at
 * each hand-over inside this one JVM (asker, service and broker all run here). The benchmark asks one check at a
 * time, so one set of stamps at a time is all there is; each point overwrites its slot.
 *
 * <p>The hooks are benchmark-only and change nothing the service does: a {@link RecordInterceptor} bean (Boot's
 * listener factory picks it up), the test decoder wrapped to stamp around the token check (the listener method's
 * first line), a producer interceptor (configured by property: the replies' and the verdicts' producers both get
 * it) and the JSON serializer subclassed to stamp around the reply's serialization (the reply's create time is
 * taken right after it).
 */
public final class RoundTripStamps {

    /** The points, in the order a check passes them. */
    enum Point {
        SENT, POLLED, ENTERED, VERIFIED, VERDICT_SENT, REPLY_HANDED, REPLY_SERIALIZED, ASKER_POLLED, RESUMED
    }

    private static final long[] stamps = new long[Point.values().length];

    private RoundTripStamps() {
    }

    static void clear() {
        synchronized (stamps) {
            java.util.Arrays.fill(stamps, 0);
        }
    }

    static void stamp(Point point) {
        long now = System.nanoTime();
        synchronized (stamps) {
            stamps[point.ordinal()] = now;
        }
    }

    /** The stamps of the current check, {@code 0} where a point was not reached. */
    static long[] snapshot() {
        synchronized (stamps) {
            return stamps.clone();
        }
    }

    /** Stamps the reply's hand-over to the producer and the verdict event's. */
    public static final class Interceptor implements ProducerInterceptor<Object, Object> {

        @Override
        public ProducerRecord<Object, Object> onSend(ProducerRecord<Object, Object> record) {
            if (record.topic().equals(Topics.GUARDRAILS_VERDICT_RECORDED)) {
                stamp(Point.VERDICT_SENT);
            }
            else if (record.topic().equals(Topics.GUARDRAILS_INPUT_CHECKED)) {
                stamp(Point.REPLY_HANDED);
            }
            return record;
        }

        @Override
        public void onAcknowledgement(RecordMetadata metadata, Exception exception) {
        }

        @Override
        public void close() {
        }

        @Override
        public void configure(Map<String, ?> configs) {
        }
    }

    /** The service's JSON serializer, stamping when the reply's bytes are ready (its create time follows). */
    public static final class StampingSerializer<T> extends JacksonJsonSerializer<T> {

        @Override
        public byte[] serialize(String topic, Headers headers, T data) {
            byte[] bytes = super.serialize(topic, headers, data);
            if (Topics.GUARDRAILS_INPUT_CHECKED.equals(topic)) {
                stamp(Point.REPLY_SERIALIZED);
            }
            return bytes;
        }
    }

    /** The asker's reply container hands a batch of replies to the template. */
    static <K, V> BatchInterceptor<K, V> askerPolled() {
        return (records, consumer) -> {
            stamp(Point.ASKER_POLLED);
            return records;
        };
    }

    /** Replaces {@link TestTokens.Decoder} in the service under test: the same decoder, stamped around. */
    @TestConfiguration(proxyBeanMethods = false)
    public static class Hooks {

        @Bean
        @Primary
        JwtDecoder stampedTokenDecoder() {
            // as InternalTokenSecurity builds it (Bouncy Castle verifiers, the claim converter), from the test key
            NimbusJwtDecoder nimbus = NimbusJwtDecoder
                    .withJwkSource(new ImmutableJWKSet<>(new JWKSet(TestTokens.GATEWAY_KEY.toPublicJWK())))
                    .jwsAlgorithm(SignatureAlgorithm.ES256)
                    .jwtProcessorCustomizer(processor -> processor.setJWSVerifierFactory(InternalTokenDecoding.VERIFIERS))
                    .build();
            nimbus.setClaimSetConverter(InternalTokenDecoding.claims());
            nimbus.setJwtValidator(InternalTokenSecurity.validator());
            JwtDecoder decoder = new CachingJwtDecoder(nimbus);
            return token -> {
                stamp(Point.ENTERED);
                try {
                    return decoder.decode(token);
                }
                finally {
                    stamp(Point.VERIFIED);
                }
            };
        }

        /** The record is in the listener container's hands, before conversion, observation and the method. */
        @Bean
        RecordInterceptor<Object, Object> polledStamp() {
            return new RecordInterceptor<>() {
                @Override
                public ConsumerRecord<Object, Object> intercept(ConsumerRecord<Object, Object> record,
                                                                Consumer<Object, Object> consumer) {
                    if (record.topic().equals(Topics.GUARDRAILS_CHECK_INPUT)) {
                        stamp(Point.POLLED);
                    }
                    return record;
                }
            };
        }
    }
}
