package dev.genaiplatform.guardrails.injection;

import com.ibm.icu.text.Normalizer2;
import com.ibm.icu.text.SpoofChecker;

/**
 * A text as the injection rules and classifier read it, and the way back to offsets in the original.
 *
 * <p>Per code point of the original: zero-width and other format characters ({@code Cf}) are dropped; ASCII is
 * lower-cased; anything else goes through NFKD case folding (fullwidth and mathematical letters become plain,
 * accents come off as separate marks that are then dropped) and, if still not ASCII, the ICU confusables skeleton
 * (Cyrillic {@code а} reads as Latin {@code a}). Then digits and symbols standing between letters are read as the
 * letters they imitate ({@code 1gn0r3} reads {@code ignore}). Each output character remembers the original
 * index it came from, so a rule match maps back to original offsets.
 *
 * <p>It is never forwarded to a model: it only decides. What it does NOT undo: letters spaced or dotted apart
 * ({@code i g n o r e}), words split by markup, homoglyphs the Unicode confusables table does not list,
 * translation into another language.
 */
public final class NormalisedText {

    private static final Normalizer2 NFKC_CASEFOLD = Normalizer2.getNFKCCasefoldInstance();
    private static final Normalizer2 NFD = Normalizer2.getNFDInstance();
    private static final SpoofChecker SPOOF = new SpoofChecker.Builder().build();

    private final String text;
    private final int[] origin;
    private final int originalLength;

    private NormalisedText(String text, int[] origin, int originalLength) {
        this.text = text;
        this.origin = origin;
        this.originalLength = originalLength;
    }

    public static NormalisedText of(String original) {
        StringBuilder out = new StringBuilder(original.length());
        int[] origin = new int[original.length() * 2 + 8];
        int count = 0;
        for (int i = 0; i < original.length(); ) {
            int cp = original.codePointAt(i);
            String mapped = map(cp);
            for (int k = 0; k < mapped.length(); k++) {
                if (count == origin.length) {
                    origin = java.util.Arrays.copyOf(origin, origin.length * 2);
                }
                origin[count++] = i;
                out.append(mapped.charAt(k));
            }
            i += Character.charCount(cp);
        }
        deLeet(out);
        return new NormalisedText(out.toString(), java.util.Arrays.copyOf(origin, count), original.length());
    }

    private static String map(int cp) {
        if (cp < 0x80) {
            return String.valueOf((char) Character.toLowerCase(cp));
        }
        int type = Character.getType(cp);
        if (type == Character.FORMAT || type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK) {
            return "";
        }
        if (Character.isWhitespace(cp) || Character.isSpaceChar(cp)) {
            return " ";
        }
        String folded = NFD.normalize(NFKC_CASEFOLD.normalize(new String(Character.toChars(cp))));
        StringBuilder plain = new StringBuilder(folded.length());
        folded.codePoints().filter(c -> Character.getType(c) != Character.NON_SPACING_MARK).forEach(c -> {
            if (c < 0x80) {
                plain.append((char) c);
            } else {
                plain.append(SPOOF.getSkeleton(new String(Character.toChars(c))).toLowerCase(java.util.Locale.ROOT));
            }
        });
        return plain.toString();
    }

    /**
     * A digit next to a letter, or a symbol between two letters, reads as the letter it imitates
     * ({@code 1gn0r3} reads {@code ignore}). Length-preserving, so offsets are unchanged.
     */
    private static void deLeet(StringBuilder out) {
        for (int i = 0; i < out.length(); i++) {
            char c = out.charAt(i);
            boolean letterBefore = i > 0 && Character.isLetter(out.charAt(i - 1));
            boolean letterAfter = i + 1 < out.length() && Character.isLetter(out.charAt(i + 1));
            char letter = switch (c) {
                case '0' -> 'o';
                case '1' -> 'i';
                case '3' -> 'e';
                case '4' -> 'a';
                case '5' -> 's';
                case '7' -> 't';
                case '@' -> letterBefore && letterAfter ? 'a' : c;
                case '$' -> letterBefore && letterAfter ? 's' : c;
                default -> c;
            };
            if (letter != c && (letterBefore || letterAfter)) {
                out.setCharAt(i, letter);
            }
        }
    }

    public String text() {
        return text;
    }

    /** The original offset of normalised index {@code index} (start of a span). */
    public int originalStart(int index) {
        return index >= origin.length ? originalLength : origin[index];
    }

    /** The original offset just past normalised {@code [.., end)}. */
    public int originalEnd(int end, String original) {
        if (end <= 0) {
            return 0;
        }
        int last = origin[Math.min(end, origin.length) - 1];
        return last + Character.charCount(original.codePointAt(last));
    }
}
