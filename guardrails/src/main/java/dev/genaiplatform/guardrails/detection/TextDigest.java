package dev.genaiplatform.guardrails.detection;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The key under which a text's results are remembered: its SHA-256, so no raw text is kept in a cache. */
public final class TextDigest {

    private TextDigest() {
    }

    /** Over the UTF-16 code units as they are (UTF-8 would fold every lone surrogate into one '?'). */
    public static String sha256(String text) {
        byte[] units = new byte[text.length() * 2];
        for (int i = 0; i < text.length(); i++) {
            units[2 * i] = (byte) (text.charAt(i) >> 8);
            units[2 * i + 1] = (byte) text.charAt(i);
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(units));
        }
        catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
