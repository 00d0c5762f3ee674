package dev.genaiplatform.tools.security;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.genaiplatform.contracts.PlatformHeaders;
import dev.genaiplatform.tokenverification.CachingJwtDecoder;
import dev.genaiplatform.tools.support.TestTokens;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Not a test: CPU per Kafka record spent in {@link KafkaTokenVerifier}, without and with {@link CachingJwtDecoder},
 * alternating in one JVM. An agent run's tool calls carry the run's token on every command; here each token is on
 * four records (argument: requests per round, default 2,000; second argument: records per token, default 4).
 */
public final class TokenVerificationBenchmark {

    public static void main(String[] args) {
        int requests = args.length > 0 ? Integer.parseInt(args[0]) : 2_000;
        int recordsPerToken = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        System.out.printf(Locale.ROOT, "%d tokens x %d records per round%n", requests, recordsPerToken);
        for (int round = 0; round < 6; round++) {
            for (boolean cached : new boolean[]{false, true}) {
                JwtDecoder decoder = cached ? new CachingJwtDecoder(realDecoder()) : realDecoder();
                var verifier = new KafkaTokenVerifier(decoder);
                List<RecordHeaders> records = new ArrayList<>(requests);
                for (int i = 0; i < requests; i++) {
                    var headers = new RecordHeaders();
                    headers.add(PlatformHeaders.AUTHORIZATION,
                            TestTokens.token("bench", "ada").getBytes(StandardCharsets.UTF_8));
                    records.add(headers);
                }
                long cpu = threads.getCurrentThreadCpuTime();
                for (RecordHeaders headers : records) {
                    for (int r = 0; r < recordsPerToken; r++) {
                        verifier.verify(headers);
                    }
                }
                double perRecord = (threads.getCurrentThreadCpuTime() - cpu) / 1e3 / (requests * recordsPerToken);
                if (round > 0) { // the first round warms the JIT
                    System.out.printf(Locale.ROOT, "round %d %-9s CPU %7.1f µs/record%n", round,
                            cached ? "cached" : "uncached", perRecord);
                }
            }
        }
    }

    private static JwtDecoder realDecoder() {
        var processor = new DefaultJWTProcessor<SecurityContext>();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.ES256,
                new ImmutableJWKSet<>(new JWKSet(TestTokens.GATEWAY_KEY.toPublicJWK()))));
        return new NimbusJwtDecoder(processor);
    }
}
