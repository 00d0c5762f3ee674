package dev.genaiplatform.guardrails.pii;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;

import java.util.ArrayList;
import java.util.List;

/**
 * The search loop shared by recognizers of numbers (cards, phones). A pattern match is only a candidate:
 *
 * <ul>
 *   <li>it must stand alone: no letter, digit or {@code +} right before it and no letter or digit right after,
 *       so digits inside an IBAN, an id or a longer number are not taken;</li>
 *   <li>optionally, as a greedy match may swallow a neighbouring number ("4111 1111 1111 1111 2027"), its shorter
 *       prefixes that end at a digit group are tried too, longest first;</li>
 *   <li>the recognizer's own test (digit count, Luhn, context...) decides.</li>
 * </ul>
 *
 * When a candidate fails, the search resumes one character after its start, so a valid number that begins
 * inside it is still found. Patterns given here must have a bounded match length, which keeps that retry linear.
 */
final class NumberScanner {

    /** The recognizer's decision on a candidate {@code [start, end)}. */
    @FunctionalInterface
    interface CandidateTest {
        boolean accepts(String text, int start, int end);
    }

    private NumberScanner() {
    }

    static List<PiiSpan> scan(Pattern pattern, String text, PiiCategory category, boolean tryShorterPrefixes,
                              CandidateTest test) {
        List<PiiSpan> spans = new ArrayList<>();
        Matcher matcher = pattern.matcher(text);
        int from = 0;
        while (from < text.length() && matcher.find(from)) {
            int start = matcher.start();
            int end = acceptedEnd(text, start, matcher.end(), tryShorterPrefixes, test);
            if (end > start) {
                spans.add(new PiiSpan(category, start, end));
                from = end;
            } else {
                from = start + 1;
            }
        }
        return spans;
    }

    /** The longest accepted end of a candidate starting at {@code start}, or -1. */
    private static int acceptedEnd(String text, int start, int end, boolean tryShorterPrefixes, CandidateTest test) {
        if (start > 0 && (isGlued(text.charAt(start - 1)) || text.charAt(start - 1) == '+')) {
            return -1;
        }
        int lastDigitEnd = end; // a pattern may end in ")" that closes nothing: "(call +1 202 555 0143)"
        while (lastDigitEnd > start && !isAsciiDigit(text.charAt(lastDigitEnd - 1))) {
            lastDigitEnd--;
        }
        int shortest = tryShorterPrefixes ? start + 1 : lastDigitEnd;
        for (int candidateEnd = lastDigitEnd; candidateEnd >= shortest && candidateEnd > start; candidateEnd--) {
            boolean endsAGroup = isAsciiDigit(text.charAt(candidateEnd - 1))
                    && (candidateEnd == text.length() || !isGlued(text.charAt(candidateEnd)));
            if (endsAGroup && test.accepts(text, start, candidateEnd)) {
                return candidateEnd;
            }
        }
        return -1;
    }

    private static boolean isGlued(char c) {
        return Character.isLetterOrDigit(c);
    }

    /** The patterns use {@code [0-9]}-style digits (re2j reads {@code \d} as ASCII only); counting must agree. */
    static boolean isAsciiDigit(char c) {
        return c >= '0' && c <= '9';
    }

    static int digitCount(String text, int start, int end) {
        int digits = 0;
        for (int i = start; i < end; i++) {
            if (isAsciiDigit(text.charAt(i))) {
                digits++;
            }
        }
        return digits;
    }

    static String digitsOf(String text, int start, int end) {
        StringBuilder digits = new StringBuilder(end - start);
        for (int i = start; i < end; i++) {
            char c = text.charAt(i);
            if (isAsciiDigit(c)) {
                digits.append(c);
            }
        }
        return digits.toString();
    }
}
