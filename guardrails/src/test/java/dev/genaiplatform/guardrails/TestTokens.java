package dev.genaiplatform.guardrails;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.genaiplatform.contracts.security.InternalToken;
import dev.genaiplatform.guardrails.security.InternalTokenSecurity;
import dev.genaiplatform.tokenverification.CachingJwtDecoder;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

import java.time.Instant;
import java.util.Date;
import java.util.List;

/**
 * Internal tokens as the gateway would sign them, with a test EC key, and the decoder the service gets in tests
 * (the same validators as production, a JWK set holding only the test key's public half).
 */
public final class TestTokens {

    public static final ECKey GATEWAY_KEY = generate("gateway");
    public static final ECKey OTHER_KEY = generate("intruder");

    private TestTokens() {
    }

    /** A valid token for {@code tenant} with {@code scope}. */
    public static String token(String tenant, String scope) {
        return sign(GATEWAY_KEY, claims(tenant, scope).build());
    }

    public static JWTClaimsSet.Builder claims(String tenant, String scope) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder()
                .issuer(InternalToken.ISSUER)
                .audience(InternalToken.AUDIENCE)
                .subject("key-1")
                .claim(InternalToken.CLAIM_TENANT, tenant)
                .claim(InternalToken.CLAIM_SCOPE, scope)
                .claim(InternalToken.CLAIM_MODELS, List.of("sim-small"))
                .claim(InternalToken.CLAIM_REQUEST_ID, "req-1")
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(120)));
    }

    public static String sign(ECKey key, JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).build(), claims);
            jwt.sign(new ECDSASigner(key));
            return jwt.serialize();
        }
        catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ECKey generate(String id) {
        try {
            return new ECKeyGenerator(Curve.P_256).keyID(id).generate();
        }
        catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Import into a {@code @SpringBootTest}: the service verifies tokens signed by {@link #GATEWAY_KEY}. */
    @TestConfiguration(proxyBeanMethods = false)
    public static class Decoder {

        @Bean
        @Primary
        JwtDecoder testTokenDecoder() {
            NimbusJwtDecoder decoder = NimbusJwtDecoder
                    .withJwkSource(new ImmutableJWKSet<>(new JWKSet(GATEWAY_KEY.toPublicJWK())))
                    .jwsAlgorithm(SignatureAlgorithm.ES256).build();
            decoder.setJwtValidator(InternalTokenSecurity.validator());
            return new CachingJwtDecoder(decoder);
        }
    }
}
