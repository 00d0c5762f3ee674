package dev.genaiplatform.evaluation.security;

import dev.genaiplatform.evaluation.support.TestTokens;
import dev.genaiplatform.tokenverification.CachingJwtDecoder;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Not a test: CPU per Kafka record spent verifying its internal token, without and with {@link CachingJwtDecoder},
 * alternating in one JVM. Each simulated request has one token and nine records (a completion and eight guardrail
 * verdicts, as the lead's profile counted), so the cache verifies once and answers eight times from memory.
 * Argument: requests per round (default 2,000); five rounds of each.
 */
public final class TokenVerificationBenchmark {

    private static final int RECORDS_PER_REQUEST = 9;

    public static void main(String[] args) {
        int requests = args.length > 0 ? Integer.parseInt(args[0]) : 2_000;
        var properties = new SecurityProperties(URI.create(TestTokens.jwkSetUri()));
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        System.out.printf(Locale.ROOT, "%d requests x %d records per round%n", requests, RECORDS_PER_REQUEST);
        for (int round = 0; round < 6; round++) {
            for (boolean cached : new boolean[]{false, true}) {
                var decoder = InternalTokens.decoderIgnoringExpiry(properties);
                var verifier = new EventTokenVerifier(cached ? new CachingJwtDecoder(decoder) : decoder);
                List<String> tokens = new ArrayList<>(requests);
                for (int i = 0; i < requests; i++) {
                    tokens.add(TestTokens.token("bench", "chat"));
                }
                verifier.verify(TestTokens.token("bench", "chat"), Instant.now()); // fetch the JWK set first
                long cpu = threads.getCurrentThreadCpuTime();
                long wall = System.nanoTime();
                for (String token : tokens) {
                    for (int r = 0; r < RECORDS_PER_REQUEST; r++) {
                        verifier.verify(token, Instant.now());
                    }
                }
                double perRecordCpu = (threads.getCurrentThreadCpuTime() - cpu) / 1e3 / (requests * RECORDS_PER_REQUEST);
                double perRecordWall = (System.nanoTime() - wall) / 1e3 / (requests * RECORDS_PER_REQUEST);
                if (round > 0) { // the first round warms the JIT
                    System.out.printf(Locale.ROOT, "round %d %-9s CPU %7.1f µs/record   wall %7.1f µs/record%n", round,
                            cached ? "cached" : "uncached", perRecordCpu, perRecordWall);
                }
            }
        }
    }
}
