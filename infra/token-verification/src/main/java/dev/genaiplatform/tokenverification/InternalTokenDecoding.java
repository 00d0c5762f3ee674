package dev.genaiplatform.tokenverification;

import com.nimbusds.jose.proc.JWSVerifierFactory;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.MappedJwtClaimSetConverter;

import java.util.Map;

/**
 * The two per-token savings every service's decoder of the gateway's token takes, in one place:
 * <pre>{@code
 * NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSetUri(uri).jwsAlgorithm(SignatureAlgorithm.ES256)
 *         .jwtProcessorCustomizer(p -> p.setJWSVerifierFactory(InternalTokenDecoding.VERIFIERS)).build();
 * decoder.setClaimSetConverter(InternalTokenDecoding.claims());
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
     * Spring's claim conversions, except that {@code iss} stays a string: Spring's default first tries to make it a
     * URL, and the gateway's issuer ({@code genai-platform-gateway}) is not one, so every token cost a thrown and
     * caught exception before falling back to the same string. Issuer validators compare the string either way.
     */
    public static MappedJwtClaimSetConverter claims() {
        return MappedJwtClaimSetConverter.withDefaults(Map.of(JwtClaimNames.ISS, issuer -> issuer == null ? null : issuer.toString()));
    }
}
