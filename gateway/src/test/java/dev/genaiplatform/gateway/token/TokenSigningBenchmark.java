package dev.genaiplatform.gateway.token;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.genaiplatform.contracts.security.InternalToken;
import dev.genaiplatform.gateway.tenant.ApiKey;
import dev.genaiplatform.gateway.tenant.Tenant;

/**
 * Not a test: the internal token's signing, side by side in one JVM, alternating rounds so machine load hits both
 * alike: the way before wave 7 (Nimbus {@code JWTClaimsSet} + {@code SignedJWT} with a cached {@code ECDSASigner} and
 * the header parsed once per key) and {@link InternalTokenIssuer} as it is now (the same claims JSON, one initialised
 * {@code SHA256withECDSAinP1363Format} {@code Signature} per thread, one shared {@code SecureRandom}). Also the bare
 * ECDSA P-256 signature over a token-sized input: the floor neither can go under with the JDK's provider. Reports wall
 * time and this thread's CPU time per token.
 *
 * <p>{@code java -cp <test classpath> dev.genaiplatform.gateway.token.TokenSigningBenchmark [rounds] [per round]}
 */
public final class TokenSigningBenchmark {

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int perRound = args.length > 1 ? Integer.parseInt(args[1]) : 5000;
        ECKey key = SigningKeyRing.generate();
        SigningKeys fixed = new SigningKeys() {
            @Override
            public ECKey signingKey() {
                return key;
            }

            @Override
            public com.nimbusds.jose.jwk.JWKSet publicKeys() {
                return new com.nimbusds.jose.jwk.JWKSet(key.toPublicJWK());
            }

            @Override
            public String rotate() {
                throw new UnsupportedOperationException();
            }
        };
        ApiKey apiKey = new ApiKey("0123456789abcdef", new Tenant("demo", new Tenant.RateLimit(1, 1, 1)),
                Set.of("chat", "documents", "agent", "evaluation"), List.of("sim-small", "sim-large"));
        InternalTokenIssuer now = new InternalTokenIssuer(fixed, Duration.ofSeconds(120), Duration.ofSeconds(60),
                Duration.ofHours(24), Clock.systemUTC());
        ECDSASigner nimbusSigner = new ECDSASigner(key);
        JWSHeader header = JWSHeader.parse(new JWSHeader.Builder(JWSAlgorithm.ES256).type(JOSEObjectType.JWT)
            .keyID(key.getKeyID()).build().toBase64URL());
        java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
        java.security.Signature bare = java.security.Signature.getInstance("SHA256withECDSAinP1363Format");
        bare.initSign(key.toECPrivateKey());
        byte[] input = now.issue(apiKey, "req-1", "alice").substring(0, 400).getBytes(java.nio.charset.StandardCharsets.US_ASCII);

        long nimbusNanos = 0;
        long compactNanos = 0;
        long bareNanos = 0;
        long nimbusCpu = 0;
        long compactCpu = 0;
        long bareCpu = 0;
        int measured = 0;
        for (int round = 0; round < rounds; round++) {
            long cpuStart = cpu.getCurrentThreadCpuTime();
            long start = System.nanoTime();
            for (int i = 0; i < perRound; i++) {
                before(nimbusSigner, header, apiKey, "req-" + i);
            }
            long nimbus = System.nanoTime() - start;
            long nimbusThreadCpu = cpu.getCurrentThreadCpuTime() - cpuStart;
            cpuStart = cpu.getCurrentThreadCpuTime();
            start = System.nanoTime();
            for (int i = 0; i < perRound; i++) {
                now.issue(apiKey, "req-" + i, "alice");
            }
            long compact = System.nanoTime() - start;
            long compactThreadCpu = cpu.getCurrentThreadCpuTime() - cpuStart;
            cpuStart = cpu.getCurrentThreadCpuTime();
            start = System.nanoTime();
            for (int i = 0; i < perRound; i++) {
                bare.update(input);
                bare.sign();
            }
            long floor = System.nanoTime() - start;
            long bareThreadCpu = cpu.getCurrentThreadCpuTime() - cpuStart;
            if (round >= rounds / 4) { // the first quarter warms up
                nimbusNanos += nimbus;
                compactNanos += compact;
                bareNanos += floor;
                nimbusCpu += nimbusThreadCpu;
                compactCpu += compactThreadCpu;
                bareCpu += bareThreadCpu;
                measured += perRound;
            }
        }
        System.out.printf(Locale.ROOT, "per token, %d tokens each, load average %.1f:%n"
                + "  before (Nimbus SignedJWT + ECDSASigner): wall %.1f µs, CPU %.1f µs%n"
                + "  now (InternalTokenIssuer): wall %.1f µs, CPU %.1f µs%n"
                + "  bare ECDSA P-256 signature: wall %.1f µs, CPU %.1f µs%n", measured,
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                nimbusNanos / 1e3 / measured, nimbusCpu / 1e3 / measured, compactNanos / 1e3 / measured,
                compactCpu / 1e3 / measured, bareNanos / 1e3 / measured, bareCpu / 1e3 / measured);
    }

    /** The token exactly as InternalTokenIssuer built and signed it before wave 7. */
    private static String before(ECDSASigner signer, JWSHeader header, ApiKey apiKey, String requestId) throws Exception {
        Instant now = Instant.now();
        Instant due = now.plusSeconds(120);
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
            .issuer(InternalToken.ISSUER)
            .audience(InternalToken.AUDIENCE)
            .subject(apiKey.id())
            .issueTime(Date.from(now))
            .expirationTime(Date.from(due.plusSeconds(60)))
            .claim(InternalToken.CLAIM_TENANT, apiKey.tenant().id())
            .claim(InternalToken.CLAIM_SCOPE, String.join(" ", apiKey.scopes().stream().sorted().toList()))
            .claim(InternalToken.CLAIM_MODELS, apiKey.models())
            .claim(InternalToken.CLAIM_REQUEST_ID, requestId)
            .claim(InternalToken.CLAIM_DEADLINE, due.toEpochMilli())
            .claim(InternalToken.CLAIM_USER, "alice")
            .build();
        SignedJWT jwt = new SignedJWT(header, claims);
        jwt.sign(signer);
        return jwt.serialize();
    }
}
