package dev.genaiplatform.gateway.token;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals private signing keys before they are stored: AES-256-GCM (confidential and tamper-evident) under a key
 * derived from a secret the operator supplies (HKDF-Extract, HMAC-SHA256 with a fixed label as salt). The key id is
 * bound as associated data, so a sealed key copied into another row does not open. Sealed form:
 * {@code nonce (12 bytes) || ciphertext || tag (16 bytes)}; a fresh random nonce per seal.
 */
final class KeySealer {

    /** A secret shorter than this is refused: it protects every token-signing key. */
    static final int MINIMUM_SECRET_LENGTH = 32;

    private static final byte[] LABEL = "genai-platform/gateway/signing-key-seal/v1".getBytes(StandardCharsets.UTF_8);

    private static final int NONCE_BYTES = 12;

    private static final int TAG_BITS = 128;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;

    KeySealer(String secret) {
        if (secret == null || secret.length() < MINIMUM_SECRET_LENGTH) {
            throw new IllegalArgumentException("platform.gateway.token.key-encryption-secret must have at least "
                    + MINIMUM_SECRET_LENGTH + " characters (e.g. openssl rand -base64 32)");
        }
        try {
            Mac extract = Mac.getInstance("HmacSHA256");
            extract.init(new SecretKeySpec(LABEL, "HmacSHA256"));
            this.key = new SecretKeySpec(extract.doFinal(secret.getBytes(StandardCharsets.UTF_8)), "AES");
        }
        catch (GeneralSecurityException e) {
            throw new IllegalStateException("Every JDK has HmacSHA256", e);
        }
    }

    byte[] seal(String keyId, byte[] plaintext) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, nonce, keyId);
            byte[] sealed = cipher.doFinal(plaintext);
            return ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array();
        }
        catch (GeneralSecurityException e) {
            throw new IllegalStateException("Could not seal signing key " + keyId, e);
        }
    }

    /** @throws WrongSecretException if the secret differs from the one the key was sealed with, or the row was altered */
    byte[] open(String keyId, byte[] sealed) {
        if (sealed.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new WrongSecretException(keyId);
        }
        try {
            Cipher cipher = cipher(Cipher.DECRYPT_MODE, java.util.Arrays.copyOf(sealed, NONCE_BYTES), keyId);
            return cipher.doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES);
        }
        catch (AEADBadTagException e) {
            throw new WrongSecretException(keyId);
        }
        catch (GeneralSecurityException e) {
            throw new IllegalStateException("Could not open signing key " + keyId, e);
        }
    }

    private Cipher cipher(int mode, byte[] nonce, String keyId) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
        cipher.updateAAD(keyId.getBytes(StandardCharsets.UTF_8));
        return cipher;
    }

    /** The stored key does not open with this secret: instances configured with different secrets, or tampering. */
    static final class WrongSecretException extends IllegalStateException {

        WrongSecretException(String keyId) {
            super("Signing key " + keyId + " does not open with platform.gateway.token.key-encryption-secret: every "
                    + "gateway instance on this database must have the same secret (or the row was altered)");
        }
    }
}
