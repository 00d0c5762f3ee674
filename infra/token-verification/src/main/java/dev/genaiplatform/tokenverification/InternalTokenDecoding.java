package dev.genaiplatform.tokenverification;

import com.nimbusds.jose.proc.JWSVerifierFactory;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.MappedJwtClaimSetConverter;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

import java.util.Map;

/**
 * The two per-token savings every service's decoder of the gateway's token takes, in one place; {@link #decoder}
 * builds Spring's decoder with both, and each service adds the validator that says what its tokens must claim:
 * <pre>{@code
 * NimbusJwtDecoder decoder = InternalTokenDecoding.decoder(jwkSetUri);
 * decoder.setJwtValidator(issuerAudienceTenantAndExpiry);
 * JwtDecoder verifiedOnce = new CachingJwtDecoder(decoder);
 * }</pre>
 * Neither changes what is accepted: the signature check is Nimbus's ES256 check done cheaper ({@link Es256Verifiers}),
 * and the claims are Spring's conversions except the issuer, which stays the string it is.
 */
public final class InternalTokenDecoding {

    /** One factory per process: its verifiers keep each gateway key's precomputed point for as long as it is used. */
    public static final JWSVerifierFactory VERIFIERS = new Es256Verifiers();

    private InternalTokenDecoding() {
    }

    /**
     * Spring's decoder of the gateway's tokens, keys from its JWK set: ES256 only (without naming it, Spring expects
     * RS256 and refuses every token), this library's verifiers and claim conversion. What the claims must say
     * (issuer, audience, tenant, expiry) is the validator the caller sets, which replaces Spring's default one.
     */
    public static NimbusJwtDecoder decoder(String jwkSetUri) {
        NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSetUri(jwkSetUri).jwsAlgorithm(SignatureAlgorithm.ES256)
                .jwtProcessorCustomizer(processor -> processor.setJWSVerifierFactory(VERIFIERS)).build();
        decoder.setClaimSetConverter(claims());
        return decoder;
    }

    /**
     * Spring's claim conversions, except that {@code iss} stays a string: Spring's default first tries to make it a
     * URL, and the gateway's issuer ({@code genai-platform-gateway}) is not one, so every token cost a thrown and
     * caught exception before falling back to the same string. Issuer validators compare the string either way.
     */
    public static MappedJwtClaimSetConverter claims() {
        return MappedJwtClaimSetConverter.withDefaults(Map.of(JwtClaimNames.ISS, issuer -> issuer == null ? null : issuer.toString()));
    }
}
