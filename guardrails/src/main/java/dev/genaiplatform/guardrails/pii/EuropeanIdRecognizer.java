package dev.genaiplatform.guardrails.pii;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * National identity numbers whose last character is a checksum, so a match is rarely an accident:
 * <ul>
 *   <li>{@link PiiCategory#ES_NIF} Spanish DNI ({@code 12345678Z}) and NIE ({@code X1234567L}): the letter is
 *       the number mod 23 looked up in a fixed table (NIE: X, Y, Z stand for 0, 1, 2);</li>
 *   <li>{@link PiiCategory#IT_FISCAL_CODE} Italian codice fiscale ({@code RSSMRA85T10A562S}): 16 characters,
 *       the last one a check letter over the other fifteen (odd and even positions weigh differently);</li>
 *   <li>{@link PiiCategory#NL_BSN} Dutch BSN: nine digits passing the "11-proof"; as 1 in 11 random nine-digit
 *       numbers passes, only after a cue (BSN, burgerservicenummer, sofinummer).</li>
 * </ul>
 * What it does NOT catch: French NIR, German Steuer-ID, and the other EU ids (not built); ids with a typo in the
 * check character; a BSN without its cue; numbers split by unusual separators.
 */
final class EuropeanIdRecognizer implements PiiRecognizer {

    private static final String DNI_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE";
    private static final Pattern DNI = Pattern.compile("(?i)[0-9]{8}[ -]?[a-z]");
    private static final Pattern NIE = Pattern.compile("(?i)[xyz][ -]?[0-9]{7}[ -]?[a-z]");
    static final Pattern FISCAL_CODE = Pattern.compile(
            "(?i)[a-z]{6}[0-9lmnp-v]{2}[abcdehlmprst][0-9lmnp-v]{2}[a-z][0-9lmnp-v]{3}[a-z]");
    private static final Pattern BSN = Pattern.compile("[0-9]{9}|[0-9]{4}\\.[0-9]{2}\\.[0-9]{3}");
    private static final Pattern BSN_CUE = Pattern.compile("(?i)(bsn|burger ?service ?nummer|sofi ?nummer)");
    /** Weights of odd positions (1st, 3rd, ...) of a codice fiscale, for digits 0-9 and letters A-Z. */
    private static final int[] ODD_WEIGHTS = {1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14,
            16, 10, 22, 25, 24, 23};

    @Override
    public PiiCategory category() {
        return PiiCategory.ES_NIF;
    }

    @Override
    public List<PiiSpan> find(String text) {
        return find(text, PiiRecognizer.hasAsciiDigit(text) ? Integer.MAX_VALUE : 0);
    }

    /**
     * DNI needs 8 digits in a row, NIE 7, BSN 9 (in a row or dotted); a codice fiscale is a run of 16 letters and
     * digits, digits or not.
     */
    @Override
    public List<PiiSpan> find(String text, int digitsInLongestNumber) {
        List<PiiSpan> spans = new ArrayList<>();
        if (digitsInLongestNumber >= 8) {
            scan(DNI, text, PiiCategory.ES_NIF, spans, EuropeanIdRecognizer::isSpanishId);
        }
        if (digitsInLongestNumber >= 7) {
            scan(NIE, text, PiiCategory.ES_NIF, spans, EuropeanIdRecognizer::isSpanishId);
        }
        if (PiiRecognizer.hasRun(text, 16, "")) {
            scan(FISCAL_CODE, text, PiiCategory.IT_FISCAL_CODE, spans, EuropeanIdRecognizer::isFiscalCode);
        }
        if (digitsInLongestNumber >= 9) {
            scan(BSN, text, PiiCategory.NL_BSN, spans, EuropeanIdRecognizer::isBsn);
        }
        return spans;
    }

    private interface Check {
        boolean valid(String text, int start, int end);
    }

    private static void scan(Pattern pattern, String text, PiiCategory category, List<PiiSpan> spans, Check check) {
        Matcher matcher = pattern.matcher(text);
        int from = 0;
        while (from < text.length() && matcher.find(from)) {
            int start = matcher.start();
            int end = matcher.end();
            if (Cues.isBoundary(text, start - 1) && Cues.isBoundary(text, end) && check.valid(text, start, end)) {
                spans.add(new PiiSpan(category, start, end));
                from = end;
            } else {
                from = start + 1;
            }
        }
    }

    static boolean isSpanishId(String text, int start, int end) {
        String compact = text.substring(start, end).replaceAll("[ -]", "").toUpperCase(Locale.ROOT);
        String number = switch (compact.charAt(0)) {
            case 'X' -> "0" + compact.substring(1, compact.length() - 1);
            case 'Y' -> "1" + compact.substring(1, compact.length() - 1);
            case 'Z' -> "2" + compact.substring(1, compact.length() - 1);
            default -> compact.substring(0, compact.length() - 1);
        };
        return DNI_LETTERS.charAt(Integer.parseInt(number) % 23) == compact.charAt(compact.length() - 1);
    }

    static boolean isFiscalCode(String text, int start, int end) {
        String code = text.substring(start, end).toUpperCase(Locale.ROOT);
        int sum = 0;
        for (int i = 0; i < 15; i++) {
            char c = code.charAt(i);
            int index = Character.isDigit(c) ? c - '0' : c - 'A';
            sum += i % 2 == 0 ? ODD_WEIGHTS[index] : index;
        }
        return code.charAt(15) == (char) ('A' + sum % 26);
    }

    static boolean isBsn(String text, int start, int end) {
        if (!Cues.before(BSN_CUE, text, start, 40)) {
            return false;
        }
        String digits = NumberScanner.digitsOf(text, start, end);
        int sum = 0;
        for (int i = 0; i < 8; i++) {
            sum += (9 - i) * (digits.charAt(i) - '0');
        }
        sum -= digits.charAt(8) - '0';
        return sum % 11 == 0 && !digits.equals("000000000");
    }
}
