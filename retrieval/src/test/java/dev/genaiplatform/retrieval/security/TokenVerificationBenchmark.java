package dev.genaiplatform.retrieval.security;

import dev.genaiplatform.retrieval.support.TestTokens;
import dev.genaiplatform.tokenverification.CachingJwtDecoder;
import dev.genaiplatform.tokenverification.Es256Verifiers;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Not a test: the internal token's verification as a search over Kafka pays it, a new token per request (every chat
 * request brings one, so {@link CachingJwtDecoder} misses), before and after Wave 7, side by side in one JVM: blocks
 * of each decoder alternate, round after round, each on tokens it has not seen. Measured: the thread's CPU time per
 * verification and wall p50/p99. Tokens are signed before each block (the gateway's work, not measured).
 * Arguments: rounds (default 6), tokens per block (default 1000). In this package to build the service's own decoder bean.
 */
public final class TokenVerificationBenchmark {

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 6;
        int perBlock = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        Map<String, JwtDecoder> decoders = new LinkedHashMap<>();
        decoders.put("Nimbus's JDK verifier, Spring's claim conversion (before)", jdkDecoder());
        decoders.put("precomputed ES256 (Es256Verifiers), iss as a string (after: the service's decoder)",
                new SecurityConfiguration().internalTokenDecoder(new PlatformSecurityProperties(TestTokens.jwkSetUri())));
        for (JwtDecoder decoder : decoders.values()) {
            fetchKeys(decoder);
        }
        var threads = ManagementFactory.getThreadMXBean();
        Map<String, List<Double>> cpu = new LinkedHashMap<>();
        Map<String, List<Long>> wall = new LinkedHashMap<>();
        System.out.println("load average at the start: " + Files.readString(Path.of("/proc/loadavg")).trim());
        for (int round = -1; round < rounds; round++) { // round -1 warms both up and is not counted
            for (var decoder : decoders.entrySet()) {
                List<String> tokens = new ArrayList<>(perBlock);
                for (int i = 0; i < perBlock; i++) {
                    tokens.add(TestTokens.token("bench-tenant", "bench-group"));
                }
                long[] nanos = new long[perBlock];
                long start = threads.getCurrentThreadCpuTime();
                for (int i = 0; i < perBlock; i++) {
                    long t = System.nanoTime();
                    decoder.getValue().decode(tokens.get(i));
                    nanos[i] = System.nanoTime() - t;
                }
                double cpuMs = (threads.getCurrentThreadCpuTime() - start) / 1e6 / perBlock;
                if (round >= 0) {
                    cpu.computeIfAbsent(decoder.getKey(), k -> new ArrayList<>()).add(cpuMs);
                    List<Long> all = wall.computeIfAbsent(decoder.getKey(), k -> new ArrayList<>());
                    for (long n : nanos) {
                        all.add(n);
                    }
                    System.out.printf(Locale.ROOT, "round %d, %s: %.3f ms CPU per verification%n", round, decoder.getKey(), cpuMs);
                }
            }
        }
        System.out.println("| token decoder (a new token every time) | CPU per verification (mean of rounds; min to max) | wall p50 | wall p99 |");
        System.out.println("|---|---|---|---|");
        for (String name : decoders.keySet()) {
            List<Double> rows = cpu.get(name);
            long[] sorted = wall.get(name).stream().mapToLong(Long::longValue).sorted().toArray();
            System.out.printf(Locale.ROOT, "| %s | %.3f ms (%.3f to %.3f) | %.3f ms | %.3f ms |%n", name,
                    rows.stream().mapToDouble(Double::doubleValue).average().orElse(0),
                    rows.stream().mapToDouble(Double::doubleValue).min().orElse(0),
                    rows.stream().mapToDouble(Double::doubleValue).max().orElse(0),
                    sorted[sorted.length / 2] / 1e6, sorted[(int) Math.ceil(sorted.length * 0.99) - 1] / 1e6);
        }
        System.out.println("load average at the end: " + Files.readString(Path.of("/proc/loadavg")).trim());
        System.exit(0);
    }

    /** The first decode fetches the JWK set; on a busy machine the test's key server can be slow to answer it. */
    private static void fetchKeys(JwtDecoder decoder) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                decoder.decode(TestTokens.token("bench-tenant"));
                return;
            } catch (org.springframework.security.oauth2.jwt.JwtException e) {
                if (attempt == 5) {
                    throw e;
                }
                Thread.sleep(1000);
            }
        }
    }

    /** The service's decoder before Wave 7 (as {@code KafkaSearchCostBenchmark.JdkVerification}). */
    private static JwtDecoder jdkDecoder() {
        NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSetUri(TestTokens.jwkSetUri()).jwsAlgorithm(SignatureAlgorithm.ES256).build();
        decoder.setJwtValidator(SecurityConfiguration.internalTokenValidator());
        return new CachingJwtDecoder(decoder);
    }
}
