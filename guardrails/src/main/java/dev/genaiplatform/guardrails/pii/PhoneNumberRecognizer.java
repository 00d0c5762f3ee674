package dev.genaiplatform.guardrails.pii;

import com.google.re2j.Pattern;

import java.util.ArrayList;
import java.util.List;

/**
 * Phone numbers. Digits alone say little (an order number, a date, an address and a phone number can all be
 * "224 4966"), so there are two tiers:
 *
 * <ol>
 *   <li>formats that are phone numbers on their own: international {@code +CC ...} (8-16 digits, optional
 *       {@code (0)} trunk marker), North American {@code 555-123-4567} / {@code (555) 123-4567} with an optional
 *       extension, and national numbers with a trunk prefix {@code 0} written in at least three groups
 *       ({@code 020 7946 0958}, {@code 0490 75 40 81}, {@code 01.84.17.61.18}; 9-12 digits);</li>
 *   <li>any grouped or plain run of 7-15 digits, but only right after a phone cue ("phone:", "tel", "mobile",
 *       "fax", "call me on", "text me at", "Desk:") or right before one ("... office", "...-Fax").</li>
 * </ol>
 * Date shapes ({@code 05.06.2024 10}, {@code 2024-06-05}) and the US social security number shape
 * {@code 123-45-6789} are never phone numbers.
 *
 * <p>What it does NOT catch:
 * <ul>
 *   <li>national numbers without a trunk 0 and without a cue nearby (many countries: "699 956 915" in a
 *       sentence about something else);</li>
 *   <li>numbers in words ("five five five..."), with unusual separators ({@code /}, several spaces, line
 *       breaks), non-ASCII digits, or glued to letters;</li>
 *   <li>vanity numbers ({@code 1-800-FLOWERS});</li>
 *   <li>cues in other languages than English (except the label forms above).</li>
 * </ul>
 * It can mask a non-phone number that follows a cue ("call 1234 5678 times") or is written like one.
 */
final class PhoneNumberRecognizer implements PiiRecognizer {

    private static final Pattern INTERNATIONAL = Pattern.compile(
            "\\+[0-9]{1,3}(?:[ .-]?\\(0\\))?(?:[ .-]?\\(?[0-9]{1,5}\\)?){2,6}");
    private static final Pattern NORTH_AMERICAN = Pattern.compile(
            "(?:\\([0-9]{3}\\)[ .-]?|[0-9]{3}[ .-])[0-9]{3}[ .-][0-9]{4}(?: ?(?i:x|ext\\.?) ?[0-9]{1,5})?");
    private static final Pattern NATIONAL_TRUNK = Pattern.compile("0[0-9]{1,4}(?:[ .-][0-9]{2,4}){2,4}");
    private static final Pattern DIGIT_RUN = Pattern.compile("\\(?[0-9]{2,5}\\)?(?:[ .-]?[0-9]{2,5}){1,5}");
    private static final Pattern SSN_SHAPE = Pattern.compile("^[0-9]{3}-[0-9]{2}-[0-9]{4}$");

    /** A cue that ends right where the number starts; matched against the few characters before it. */
    private static final Pattern CUE_BEFORE = Pattern.compile("(?i)(?:"
            + "\\b(?:phone|telephone|tel|mobile|cell|cellphone|fax|landline|whatsapp|sms)"
            + "(?:\\s+(?:number|no\\.?|nr\\.?))?(?:\\s+(?:is|on|at))?"
            + "|\\b(?:desk|office|home|work)\\s*:"
            + "|\\b(?:call|text|ring|reach|contact|dial)(?:\\s+(?:me|us))?(?:\\s+(?:on|at))?"
            + "|\\banswering\\s+at|\\bmessages\\s+to"
            + ")[\\s:.#()-]*$");
    /** A label right after the number, as in signatures: "416 60 039 office", "07700 063 966-Fax". */
    private static final Pattern CUE_AFTER = Pattern.compile(
            "(?i)^[\\s,;()-]*(?:office|fax|mobile|cell|home|work|tel|phone|landline)\\b");
    private static final int CUE_WINDOW = 40;

    @Override
    public PiiCategory category() {
        return PiiCategory.PHONE_NUMBER;
    }

    /**
     * No shorter prefixes: a phone candidate that runs on into more digit groups ("4111 1111 1111 1112") is one
     * longer number, not a phone number followed by something else.
     */
    /** The fewest any shape accepts: 7 (a digit run after a cue); see the bounds in {@link #find(String, int)}. */
    @Override
    public int minimumDigits() {
        return 7;
    }

    /** Nothing to find without an ASCII digit: every pattern needs [0-9]. */
    @Override
    public boolean mayFind(String text) {
        return PiiRecognizer.hasAsciiDigit(text);
    }

    @Override
    public List<PiiSpan> find(String text) {
        return find(text, Integer.MAX_VALUE);
    }

    /**
     * Each shape accepts a candidate only with its own count of digits inside it (8, 10, 9, 7 at least), and a
     * candidate is one number (digits and {@link PiiRecognizer#NUMBER_PUNCTUATION}), so a shape needing more
     * digits than the text's longest number holds is not scanned.
     */
    @Override
    public List<PiiSpan> find(String text, int digitsInLongestNumber) {
        List<PiiSpan> spans = new ArrayList<>();
        if (digitsInLongestNumber >= 8) {
            spans.addAll(NumberScanner.scan(INTERNATIONAL, text, PiiCategory.PHONE_NUMBER, false,
                    (t, start, end) -> digitsBetween(t, start, end, 8, 16)));
        }
        if (digitsInLongestNumber >= 10) {
            spans.addAll(NumberScanner.scan(NORTH_AMERICAN, text, PiiCategory.PHONE_NUMBER, false,
                    (t, start, end) -> digitsBetween(t, start, end, 10, 15)));
        }
        if (digitsInLongestNumber >= 9) {
            spans.addAll(NumberScanner.scan(NATIONAL_TRUNK, text, PiiCategory.PHONE_NUMBER, false,
                    (t, start, end) -> digitsBetween(t, start, end, 9, 12) && notDateOrSsn(t, start, end)));
        }
        if (digitsInLongestNumber >= 7) {
            spans.addAll(NumberScanner.scan(DIGIT_RUN, text, PiiCategory.PHONE_NUMBER, false,
                    (t, start, end) -> digitsBetween(t, start, end, 7, 15) && notDateOrSsn(t, start, end)
                            && hasCue(t, start, end)));
        }
        return spans;
    }

    private static boolean digitsBetween(String text, int start, int end, int min, int max) {
        int digits = NumberScanner.digitCount(text, start, end);
        return digits >= min && digits <= max;
    }

    private static boolean notDateOrSsn(String text, int start, int end) {
        return !DateShapes.startsWithDate(text, start, end) && !SSN_SHAPE.matcher(text.substring(start, end)).find();
    }

    private static boolean hasCue(String text, int start, int end) {
        String before = text.substring(Math.max(0, start - CUE_WINDOW), start);
        String after = text.substring(end, Math.min(text.length(), end + CUE_WINDOW / 2));
        return CUE_BEFORE.matcher(before).find() || CUE_AFTER.matcher(after).find();
    }
}
