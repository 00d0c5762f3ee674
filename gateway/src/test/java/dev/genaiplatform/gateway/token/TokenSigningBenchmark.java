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
 * alike: the wave-4 way (Nimbus {@code JWTClaimsSet} + {@code SignedJWT}, a cached {@code ECDSASigner}, a header built
 * per token) and {@link InternalTokenIssuer} as it is now (the header built once per key). Also the bare ECDSA P-256
 * signature over a token-sized input: the floor neither can go under with the JDK's provider. (A hand-written compact
 * signer, claims written straight to JSON and one initialised {@code Signature} per thread, measured the same as
 * Nimbus here and was removed: the signature is the cost.)
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
        java.security.Signature bare = java.security.Signature.getInstance("SHA256withECDSAinP1363Format");
        bare.initSign(key.toECPrivateKey());
        byte[] input = now.issue(apiKey, "req-1", "alice").substring(0, 400).getBytes(java.nio.charset.StandardCharsets.US_ASCII);

        long nimbusNanos = 0;
        long compactNanos = 0;
        long bareNanos = 0;
        int measured = 0;
        for (int round = 0; round < rounds; round++) {
            long start = System.nanoTime();
            for (int i = 0; i < perRound; i++) {
                wave4(nimbusSigner, key, apiKey, "req-" + i);
            }
            long nimbus = System.nanoTime() - start;
            start = System.nanoTime();
            for (int i = 0; i < perRound; i++) {
                now.issue(apiKey, "req-" + i, "alice");
            }
            long compact = System.nanoTime() - start;
            start = System.nanoTime();
            for (int i = 0; i < perRound; i++) {
                bare.update(input);
                bare.sign();
            }
            long floor = System.nanoTime() - start;
            if (round >= rounds / 4) { // the first quarter warms up
                nimbusNanos += nimbus;
                compactNanos += compact;
                bareNanos += floor;
                measured += perRound;
            }
        }
        System.out.printf(Locale.ROOT, "per token, %d tokens each, load average %.1f: wave 4 %.1f µs, now %.1f µs, "
                + "bare ECDSA P-256 signature %.1f µs%n", measured,
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                nimbusNanos / 1e3 / measured, compactNanos / 1e3 / measured, bareNanos / 1e3 / measured);
    }

    /** The token exactly as wave 4's InternalTokenIssuer built and signed it. */
    private static String wave4(ECDSASigner signer, ECKey key, ApiKey apiKey, String requestId) throws Exception {
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
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).type(JOSEObjectType.JWT)
            .keyID(key.getKeyID()).build(), claims);
        jwt.sign(signer);
        return jwt.serialize();
    }
}
