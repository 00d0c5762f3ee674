package dev.genaiplatform.guardrails.injection;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Finds text hidden in base64 or hex runs, and the ROT13 reading of a whole text, so the rules and the
 * classifier can read what a model would decode. Only decodings that are mostly printable UTF-8 text count.
 * At most {@value #MAX_PAYLOADS} runs per text, each at most {@value #MAX_RUN} characters: bounded work.
 *
 * <p>What it does NOT decode: nested or chained encodings beyond one level, other ciphers (Caesar shifts but 13,
 * Vigenère), compressed payloads, base32, URL encoding, Morse, and instructions split across several runs.
 */
public final class EncodedPayloads {

    static final int MAX_PAYLOADS = 16;
    static final int MAX_RUN = 8192;
    private static final Pattern BASE64 = Pattern.compile("[A-Za-z0-9+/_-]{16,}={0,2}");
    private static final Pattern HEX = Pattern.compile("(?:[0-9a-fA-F]{2}[ :]?){8,}");

    /** Decoded text and the original span it was hidden in. */
    public record Payload(String encoding, String decoded, int start, int end) {
    }

    private EncodedPayloads() {
    }

    public static List<Payload> find(String text) {
        List<Payload> payloads = new ArrayList<>();
        collect(HEX.matcher(text), "hex", payloads);
        collect(BASE64.matcher(text), "base64", payloads);
        return payloads;
    }

    private static void collect(Matcher matcher, String encoding, List<Payload> payloads) {
        while (payloads.size() < MAX_PAYLOADS && matcher.find()) {
            String run = matcher.group();
            if (run.length() > MAX_RUN) {
                continue; // too long to be a hidden instruction worth decoding; the size limit bounds the rest
            }
            byte[] bytes = encoding.equals("hex") ? hex(run) : base64(run);
            String decoded = bytes == null ? null : printableUtf8(bytes);
            if (decoded != null) {
                payloads.add(new Payload(encoding, decoded, matcher.start(), matcher.end()));
            }
        }
    }

    /** ROT13 of the letters, everything else kept: same length, so offsets carry over. */
    public static String rot13(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 'a' && c <= 'z') {
                c = (char) ('a' + (c - 'a' + 13) % 26);
            } else if (c >= 'A' && c <= 'Z') {
                c = (char) ('A' + (c - 'A' + 13) % 26);
            }
            out.append(c);
        }
        return out.toString();
    }

    private static byte[] hex(String run) {
        String digits = run.replaceAll("[ :]", "");
        if (digits.length() % 2 != 0) {
            return null;
        }
        byte[] bytes = new byte[digits.length() / 2];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) Integer.parseInt(digits, 2 * i, 2 * i + 2, 16);
        }
        return bytes;
    }

    private static byte[] base64(String run) {
        String padded = run.replace('-', '+').replace('_', '/').replace("=", "");
        try {
            return Base64.getDecoder().decode(padded + "=".repeat((4 - padded.length() % 4) % 4));
        }
        catch (IllegalArgumentException notBase64) {
            return null;
        }
    }

    /** The text when the bytes are valid UTF-8 and at least 90 % printable with some letters, else null. */
    private static String printableUtf8(byte[] bytes) {
        try {
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
            long printable = text.codePoints().filter(c -> !Character.isISOControl(c) || Character.isWhitespace(c)).count();
            long letters = text.codePoints().filter(Character::isLetter).count();
            return printable >= 0.9 * text.length() && letters >= text.length() / 3 ? text : null;
        }
        catch (CharacterCodingException notText) {
            return null;
        }
    }
}
