package dev.genaiplatform.gateway.token;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.util.Base64;
import java.util.List;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.ECKey;

/**
 * Signs a compact ES256 JWS (RFC 7515) on the request path without a general-purpose JOSE library's per-token
 * work: the header is encoded once per key, the claims are written straight to JSON, and each thread keeps a
 * {@link Signature} already initialised with the key. The JDK's {@code SHA256withECDSAinP1363Format} yields the
 * 64-byte {@code R || S} that JWS expects, so no DER transcoding is needed either. The output is an ordinary JWT:
 * services verify it with Spring Security like any other (the tests do exactly that).
 */
final class CompactJwtSigner {

    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private final ECKey key;

    private final ECPrivateKey privateKey;

    /** {@code base64url(header) + "."}: the same for every token this key signs. */
    private final String headerPrefix;

    /** One initialised Signature per thread and key: a Signature is not thread-safe, and getInstance is a lookup. */
    private final ThreadLocal<Signature> signatures;

    CompactJwtSigner(ECKey key) {
        this.key = key;
        try {
            this.privateKey = key.toECPrivateKey();
        }
        catch (JOSEException e) {
            throw new IllegalStateException("Not a signing key: " + key.getKeyID(), e);
        }
        if (privateKey == null) {
            throw new IllegalStateException("Not a signing key (no private half): " + key.getKeyID());
        }
        StringBuilder header = new StringBuilder("{\"kid\":");
        string(header, key.getKeyID());
        header.append(",\"typ\":\"JWT\",\"alg\":\"ES256\"}");
        this.headerPrefix = BASE64URL.encodeToString(header.toString().getBytes(StandardCharsets.UTF_8)) + ".";
        this.signatures = ThreadLocal.withInitial(this::newSignature);
    }

    ECKey key() {
        return key;
    }

    /** {@code header.claims.signature} for the claims object already written as JSON. */
    String sign(CharSequence claimsJson) {
        String signingInput = headerPrefix
                + BASE64URL.encodeToString(claimsJson.toString().getBytes(StandardCharsets.UTF_8));
        try {
            Signature signature = signatures.get();
            signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + BASE64URL.encodeToString(signature.sign());
        }
        catch (GeneralSecurityException e) {
            throw new IllegalStateException("Could not sign the internal token", e);
        }
    }

    private Signature newSignature() {
        try {
            Signature signature = Signature.getInstance("SHA256withECDSAinP1363Format");
            signature.initSign(privateKey);
            return signature;
        }
        catch (GeneralSecurityException e) {
            throw new IllegalStateException("Every JDK signs ES256", e);
        }
    }

    /** Appends {@code "name":"value",} pieces of a JSON object; strings are escaped per RFC 8259. */
    static final class Claims {

        private final StringBuilder json = new StringBuilder(512).append('{');

        Claims string(String name, String value) {
            name(name);
            CompactJwtSigner.string(json, value);
            return this;
        }

        Claims number(String name, long value) {
            name(name);
            json.append(value);
            return this;
        }

        Claims strings(String name, List<String> values) {
            name(name);
            json.append('[');
            for (int i = 0; i < values.size(); i++) {
                if (i > 0) {
                    json.append(',');
                }
                CompactJwtSigner.string(json, values.get(i));
            }
            json.append(']');
            return this;
        }

        CharSequence json() {
            return json.append('}');
        }

        private void name(String name) {
            if (json.length() > 1) {
                json.append(',');
            }
            CompactJwtSigner.string(json, name);
            json.append(':');
        }
    }

    static void string(StringBuilder out, String value) {
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        out.append(String.format("\\u%04x", (int) c));
                    }
                    else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
