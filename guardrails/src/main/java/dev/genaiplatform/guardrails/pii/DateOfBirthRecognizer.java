package dev.genaiplatform.guardrails.pii;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;

import java.util.ArrayList;
import java.util.List;

/**
 * Dates of birth: a calendar date ({@code 2/8/1935}, {@code 1985-03-12}, {@code 12 March 1985},
 * {@code March 12, 1985}) within 40 characters after a birth cue ("born", "date of birth", "DOB", "birthday",
 * "geboren", "né le", "nacido"). A date alone is not personal data, so other dates stay.
 *
 * <p>What it does NOT catch: a birth date far from its cue or before it ("1985-03-12 is my birthday"), ages
 * ("I am 38"), years alone ("born in 1985" IS caught as a year after "born"), dates in words ("the twelfth of
 * March"), months in languages other than English.
 */
final class DateOfBirthRecognizer implements PiiRecognizer {

    private static final String MONTH = "(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?"
            + "|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\\.?";
    private static final Pattern DATE = Pattern.compile("(?i)"
            + "[0-9]{1,2}[./-][0-9]{1,2}[./-](?:[0-9]{4}|[0-9]{2})"
            + "|[0-9]{4}-[0-9]{2}-[0-9]{2}"
            + "|[0-9]{1,2}(?:st|nd|rd|th)? (?:of )?" + MONTH + ",? [0-9]{4}"
            + "|" + MONTH + " [0-9]{1,2}(?:st|nd|rd|th)?,? [0-9]{4}"
            + "|(?:1[89]|20)[0-9]{2}");
    private static final List<String> CUE_LITERALS = List.of("born", "birth", "dob", "d.o.b", "geboren",
            "geburtsdatum", "naissance", "nacid", "nascit");
    static final Pattern CUE = Pattern.compile(
            "(?i)(born|birth|\\bdob\\b|d\\.o\\.b|birthday|geboren|geburtsdatum|\\bné|\\bnée|naissance|nacid|nascit)");

    @Override
    public PiiCategory category() {
        return PiiCategory.DATE_TIME;
    }

    /** Nothing to find without an ASCII digit (every date has one) or without a cue. */
    @Override
    public boolean mayFind(String text) {
        return PiiRecognizer.hasAsciiDigit(text) && mayHaveCue(text);
    }

    /**
     * Whether a {@link #CUE} may be in the text (a date counts only after one). The cue is case-insensitive and
     * re2j folds a few non-ASCII letters into ASCII ones, so text with any non-ASCII character is always scanned.
     */
    static boolean mayHaveCue(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) >= 0x80) {
                return true;
            }
        }
        String lower = text.toLowerCase(java.util.Locale.ROOT);
        return CUE_LITERALS.stream().anyMatch(lower::contains);
    }

    @Override
    public List<PiiSpan> find(String text) {
        List<PiiSpan> spans = new ArrayList<>();
        Matcher matcher = DATE.matcher(text);
        while (matcher.find()) {
            int start = matcher.start();
            int end = matcher.end();
            if (Cues.isBoundary(text, start - 1) && Cues.isBoundary(text, end) && Cues.before(CUE, text, start, 40)) {
                spans.add(new PiiSpan(PiiCategory.DATE_TIME, start, end));
            }
        }
        return spans;
    }
}
