package dev.genaiplatform.tokenverification;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.crypto.impl.CriticalHeaderParamsDeferral;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.proc.JWSVerifierFactory;
import com.nimbusds.jose.util.Base64URL;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.math.ec.ECPoint;

import java.math.BigInteger;
import java.security.Key;
import java.security.interfaces.ECPublicKey;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * ES256 signature checks for the gateway's internal token at about a quarter of the JDK's CPU (issue 13). Every chat
 * request brings a new token, so a service's verified-token cache helps only with the second and later records of the
 * same request: each service still pays one full ECDSA verification per request, a third of retrieval's CPU per
 * search and a fifth of guardrails' in the lead's profiles. Most of a verification is two scalar multiplications,
 * one of them by the gateway's public point, which is the same point on every token. The JDK (and Bouncy Castle's JCA
 * provider) rebuild that point's lookup tables on every verification; here one {@link ECPublicKeyParameters} per
 * gateway key lives as long as the key, so Bouncy Castle's lightweight {@link ECDSASigner} keeps its precomputed
 * multiples and the P-256 curve's own field arithmetic does the rest (retrieval measured 0.12 ms against 0.50 ms of
 * CPU per verification: retrieval/README.md, Speed, Wave 7).
 *
 * <p>Use one instance per process, {@link InternalTokenDecoding#VERIFIERS}, as that class shows (its verifiers keep
 * the precomputed points).
 *
 * <p>The check itself is Nimbus's {@code ECDSAVerifier}'s for ES256: the algorithm must be ES256, no unknown critical
 * header, a 64-byte {@code R || S} signature, r and s within [1, n - 1] (Bouncy Castle refuses others), and the
 * signature must verify over SHA-256 of the signing input. Which key (kid, JWK set refresh) and the claims are still
 * Nimbus's and Spring's business. Any other algorithm or key type goes to Nimbus's own factory.
 */
public final class Es256Verifiers implements JWSVerifierFactory {

    private static final int SIGNATURE_BYTES = 64;
    private static final ECDomainParameters P256 = domain();

    private final JWSVerifierFactory others = new DefaultJWSVerifierFactory();
    private final JCAContext context = new JCAContext();
    /** One verifier per gateway key: the point and its precomputed multiples live as long as the key is used. */
    private final Map<java.security.spec.ECPoint, Es256Verifier> verifiers = new ConcurrentHashMap<>();

    @Override
    public JWSVerifier createJWSVerifier(JWSHeader header, Key key) throws JOSEException {
        if (!JWSAlgorithm.ES256.equals(header.getAlgorithm()) || !(key instanceof ECPublicKey publicKey)
                || !Curve.P_256.equals(Curve.forECParameterSpec(publicKey.getParams()))) {
            return others.createJWSVerifier(header, key);
        }
        if (verifiers.size() > 64) {
            verifiers.clear(); // a gateway rotates a handful of keys; never let a stream of foreign keys pile up
        }
        return verifiers.computeIfAbsent(publicKey.getW(), Es256Verifier::new);
    }

    @Override
    public Set<JWSAlgorithm> supportedJWSAlgorithms() {
        return others.supportedJWSAlgorithms();
    }

    @Override
    public JCAContext getJCAContext() {
        return context;
    }

    /** Verifies ES256 signatures of one public key; thread-safe (Bouncy Castle synchronises its precomputation). */
    static final class Es256Verifier implements JWSVerifier {
        private final ECPublicKeyParameters publicKey;
        private final CriticalHeaderParamsDeferral critical = new CriticalHeaderParamsDeferral();
        private final JCAContext context = new JCAContext();

        Es256Verifier(java.security.spec.ECPoint w) {
            ECPoint point = P256.getCurve().validatePoint(w.getAffineX(), w.getAffineY()); // refuses a point off the curve
            this.publicKey = new ECPublicKeyParameters(point, P256);
        }

        @Override
        public boolean verify(JWSHeader header, byte[] signingInput, Base64URL signature) throws JOSEException {
            if (!JWSAlgorithm.ES256.equals(header.getAlgorithm())) {
                throw new JOSEException("Unsupported JWS algorithm " + header.getAlgorithm() + ", must be ES256");
            }
            if (!critical.headerPasses(header)) {
                return false;
            }
            byte[] rs = signature.decode();
            if (rs.length != SIGNATURE_BYTES) {
                return false;
            }
            BigInteger r = new BigInteger(1, java.util.Arrays.copyOfRange(rs, 0, SIGNATURE_BYTES / 2));
            BigInteger s = new BigInteger(1, java.util.Arrays.copyOfRange(rs, SIGNATURE_BYTES / 2, SIGNATURE_BYTES));
            SHA256Digest sha256 = new SHA256Digest();
            sha256.update(signingInput, 0, signingInput.length);
            byte[] digest = new byte[sha256.getDigestSize()];
            sha256.doFinal(digest, 0);
            ECDSASigner ecdsa = new ECDSASigner();
            ecdsa.init(false, publicKey);
            return ecdsa.verifySignature(digest, r, s); // false for r or s outside [1, n - 1]
        }

        @Override
        public Set<JWSAlgorithm> supportedJWSAlgorithms() {
            return Set.of(JWSAlgorithm.ES256);
        }

        @Override
        public JCAContext getJCAContext() {
            return context;
        }
    }

    private static ECDomainParameters domain() {
        X9ECParameters p256 = CustomNamedCurves.getByName("P-256"); // secp256r1 with its dedicated field arithmetic
        return new ECDomainParameters(p256.getCurve(), p256.getG(), p256.getN(), p256.getH(), p256.getSeed());
    }
}
