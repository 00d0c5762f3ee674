package dev.genaiplatform.tokenverification;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.security.interfaces.ECPublicKey;
import java.util.Arrays;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The cheaper ES256 check must say yes and no exactly where Nimbus's own (JDK) verifier does. */
class Es256VerifiersTests {

    private static final BigInteger P256_ORDER = Curve.P_256.toECParameterSpec().getOrder();

    private final ECKey gateway = generate();
    private final ECPublicKey gatewayKey = publicKey(gateway);
    private final Es256Verifiers verifiers = new Es256Verifiers();

    @Test
    void agreesWithNimbusOnValidAndTamperedTokens() throws Exception {
        Random random = new Random(13);
        ECDSAVerifier reference = new ECDSAVerifier(gatewayKey);
        int accepted = 0;
        for (int i = 0; i < 60; i++) {
            SignedJWT token = token(gateway, "tenant-" + i);
            byte[] input = token.getSigningInput();
            byte[] signature = token.getSignature().decode();
            for (byte[][] candidate : new byte[][][]{
                    {input, signature},
                    {input, flipBit(signature, random)},
                    {flipBit(input, random), signature},
                    {input, Arrays.copyOf(signature, 63)},
                    {input, Arrays.copyOf(signature, 65)},
                    {input, withS(signature, BigInteger.ZERO)},
                    {input, withS(signature, P256_ORDER)},
                    {input, withS(signature, P256_ORDER.subtract(new BigInteger(1, Arrays.copyOfRange(signature, 32, 64))))}}) {
                boolean expected = verifies(reference, token.getHeader(), candidate[0], candidate[1]);
                boolean actual = verifies(verifiers.createJWSVerifier(token.getHeader(), gatewayKey), token.getHeader(), candidate[0], candidate[1]);
                assertThat(actual).as("token %d, signature %s", i, Base64URL.encode(candidate[1])).isEqualTo(expected);
                accepted += actual ? 1 : 0;
            }
        }
        assertThat(accepted).as("the untouched tokens verify").isGreaterThanOrEqualTo(60);
    }

    @Test
    void refusesASignatureMadeWithAnotherKey() throws Exception {
        SignedJWT forged = token(generate(), "tenant-a");

        assertThat(verifiers.createJWSVerifier(forged.getHeader(), gatewayKey).verify(forged.getHeader(),
                forged.getSigningInput(), forged.getSignature())).isFalse();
    }

    @Test
    void refusesAnUnknownCriticalHeaderAsNimbusDoes() throws Exception {
        ECKey key = new ECKeyGenerator(Curve.P_256).generate();
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.ES256).criticalParams(Set.of("exp-policy"))
                .customParam("exp-policy", "strict").build();
        JWSObject signed = new JWSObject(header, new Payload("{\"tenant\":\"a\"}"));
        signed.sign(new ECDSASigner(key));

        var verifier = verifiers.createJWSVerifier(header, key.toECPublicKey());
        assertThat(verifier.verify(header, signed.getSigningInput(), signed.getSignature())).isFalse();
        assertThat(new ECDSAVerifier(key.toECPublicKey()).verify(header, signed.getSigningInput(), signed.getSignature())).isFalse();
    }

    @Test
    void aVerifierNeverAcceptsAnotherAlgorithm() throws Exception {
        SignedJWT token = token(gateway, "tenant-a");
        var verifier = verifiers.createJWSVerifier(token.getHeader(), gatewayKey);
        JWSHeader es384 = new JWSHeader.Builder(JWSAlgorithm.ES384).build();

        assertThatThrownBy(() -> verifier.verify(es384, token.getSigningInput(), token.getSignature()))
                .isInstanceOf(JOSEException.class);
    }

    private static boolean verifies(com.nimbusds.jose.JWSVerifier verifier, JWSHeader header, byte[] input, byte[] signature) {
        try {
            return verifier.verify(header, input, Base64URL.encode(signature));
        } catch (JOSEException e) {
            return false;
        }
    }

    private static byte[] flipBit(byte[] bytes, Random random) {
        byte[] copy = bytes.clone();
        int bit = random.nextInt(copy.length * 8);
        copy[bit / 8] ^= (byte) (1 << (bit % 8));
        return copy;
    }

    private static byte[] withS(byte[] signature, BigInteger s) {
        byte[] copy = Arrays.copyOf(signature, 64);
        byte[] value = s.toByteArray();
        Arrays.fill(copy, 32, 64, (byte) 0);
        int length = Math.min(32, value.length);
        System.arraycopy(value, value.length - length, copy, 64 - length, length);
        return copy;
    }

    private static SignedJWT token(ECKey key, String tenant) throws JOSEException {
        SignedJWT token = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).build(),
                new JWTClaimsSet.Builder().issuer("genai-platform-gateway").audience("genai-platform-services")
                        .claim("tenant", tenant).build());
        token.sign(new ECDSASigner(key));
        return token;
    }

    private static ECKey generate() {
        try {
            return new ECKeyGenerator(Curve.P_256).keyID("gateway-key").generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ECPublicKey publicKey(ECKey key) {
        try {
            return key.toECPublicKey();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
