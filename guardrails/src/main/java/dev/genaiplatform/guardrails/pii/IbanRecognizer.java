package dev.genaiplatform.guardrails.pii;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * IBANs: two letters, two check digits and 11 to 30 letters or digits, written solid or in groups separated by
 * single spaces ({@code GB82 WEST 1234 5698 7654 32}), any case, that pass the ISO 13616 mod-97 check. As a
 * grouped match may run into the next word, shorter candidates that end at a group are tried, longest first.
 *
 * <p>What it does NOT catch: IBANs with a wrong check (typos), split by dashes, dots or line breaks, or glued
 * to other letters; national account numbers (BBAN) without the country prefix. About 1 in 97 random strings
 * of the right shape passes the check, so a rare product code may be masked.
 */
final class IbanRecognizer implements PiiRecognizer {

    private static final Pattern CANDIDATE = Pattern.compile("(?i)[a-z]{2}[0-9]{2}(?: ?[a-z0-9]){11,30}");

    @Override
    public PiiCategory category() {
        return PiiCategory.IBAN_CODE;
    }

    /** The two check digits. */
    @Override
    public int minimumDigits() {
        return 2;
    }

    /**
     * Nothing to find without two letters followed by two ASCII digits, where the pattern starts. A non-ASCII
     * character counts as a letter: under {@code (?i)} re2j folds a few into ASCII ones (the Kelvin sign, the long s).
     */
    @Override
    public boolean mayFind(String text) {
        for (int i = 0; i + 3 < text.length(); i++) {
            if (isDigit(text.charAt(i + 3)) && isDigit(text.charAt(i + 2))
                    && mayBeLetter(text.charAt(i + 1)) && mayBeLetter(text.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean mayBeLetter(char c) {
        return c >= 0x80 || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
    }

    @Override
    public List<PiiSpan> find(String text) {
        List<PiiSpan> spans = new ArrayList<>();
        Matcher matcher = CANDIDATE.matcher(text);
        int from = 0;
        while (from < text.length() && matcher.find(from)) {
            int start = matcher.start();
            int end = Cues.isBoundary(text, start - 1) ? validEnd(text, start, matcher.end()) : -1;
            if (end > 0) {
                spans.add(new PiiSpan(PiiCategory.IBAN_CODE, start, end));
                from = end;
            } else {
                from = start + 1;
            }
        }
        return spans;
    }

    private static int validEnd(String text, int start, int end) {
        for (int candidate = end; candidate >= start + 15; candidate--) {
            if (Cues.isBoundary(text, candidate) && text.charAt(candidate - 1) != ' '
                    && isValid(text.substring(start, candidate))) {
                return candidate;
            }
        }
        return -1;
    }

    /** ISO 13616: move the first four characters to the end, letters become 10..35, the number mod 97 is 1. */
    static boolean isValid(String candidate) {
        String compact = candidate.replace(" ", "").toUpperCase(Locale.ROOT);
        if (compact.length() < 15 || compact.length() > 34) {
            return false;
        }
        String rearranged = compact.substring(4) + compact.substring(0, 4);
        int remainder = 0;
        for (int i = 0; i < rearranged.length(); i++) {
            int value = Character.digit(rearranged.charAt(i), 36);
            if (value < 0) {
                return false;
            }
            remainder = (value < 10 ? remainder * 10 + value : remainder * 100 + value) % 97;
        }
        return remainder == 1;
    }
}
