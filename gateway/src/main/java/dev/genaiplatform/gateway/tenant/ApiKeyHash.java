package dev.genaiplatform.gateway.tenant;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 of API keys: the gateway keeps and compares hashes, never keys. */
final class ApiKeyHash {

    private ApiKeyHash() {
    }

    static byte[] of(String apiKey) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(apiKey.getBytes(StandardCharsets.UTF_8));
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every JDK ships SHA-256", e);
        }
    }

    static byte[] fromHex(String hex) {
        if (hex.length() != 64) {
            throw new IllegalArgumentException("a SHA-256 is 64 hex characters, got " + hex.length());
        }
        return HexFormat.of().parseHex(hex);
    }
}
