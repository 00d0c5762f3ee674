package dev.genaiplatform.guardrails.pii;

import com.google.re2j.Pattern;

import java.util.List;
import java.util.stream.Stream;

/**
 * US Social Security numbers: {@code 123-45-6789} or {@code 123 45 6789} anywhere, nine solid digits only after a
 * cue ("SSN", "social security"), and only numbers the SSA can issue: area not 000, 666 or 900-999, group not 00,
 * serial not 0000. The SSA's own advertising number 078-05-1120 is ignored.
 *
 * <p>What it does NOT catch: SSNs split differently ({@code 123.45.6789}), nine solid digits without a cue,
 * ITINs (area 9xx, on purpose). Since 2011 SSNs are random, so any valid-looking dashed number is taken: a
 * product code of that shape would be masked too.
 */
final class UsSsnRecognizer implements PiiRecognizer {

    private static final Pattern DASHED = Pattern.compile("[0-9]{3}-[0-9]{2}-[0-9]{4}");
    private static final Pattern SPACED = Pattern.compile("[0-9]{3} [0-9]{2} [0-9]{4}");
    private static final Pattern SOLID = Pattern.compile("[0-9]{9}");
    private static final Pattern CUE = Pattern.compile("(?i)(ssn|social security|soc\\.? sec)");

    @Override
    public PiiCategory category() {
        return PiiCategory.US_SSN;
    }

    /** Nine digits, in every shape. */
    @Override
    public int minimumDigits() {
        return 9;
    }

    /** Nothing to find without an ASCII digit: every pattern needs [0-9]. */
    @Override
    public boolean mayFind(String text) {
        return PiiRecognizer.hasAsciiDigit(text);
    }

    @Override
    public List<PiiSpan> find(String text) {
        return Stream.of(
                        NumberScanner.scan(DASHED, text, PiiCategory.US_SSN, false, UsSsnRecognizer::isIssuable),
                        NumberScanner.scan(SPACED, text, PiiCategory.US_SSN, false, UsSsnRecognizer::isIssuable),
                        NumberScanner.scan(SOLID, text, PiiCategory.US_SSN, false,
                                (t, s, e) -> isIssuable(t, s, e) && Cues.before(CUE, t, s, 40)))
                .flatMap(List::stream).toList();
    }

    static boolean isIssuable(String text, int start, int end) {
        String digits = NumberScanner.digitsOf(text, start, end);
        if (digits.length() != 9 || digits.equals("078051120")) {
            return false;
        }
        int area = Integer.parseInt(digits, 0, 3, 10);
        int group = Integer.parseInt(digits, 3, 5, 10);
        int serial = Integer.parseInt(digits, 5, 9, 10);
        return area != 0 && area != 666 && area < 900 && group != 0 && serial != 0;
    }
}
