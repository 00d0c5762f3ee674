package dev.genaiplatform.guardrails.pii;

import java.util.List;

/** Finds one kind of personal data in a text. Implementations use re2j patterns, so they run in linear time. */
interface PiiRecognizer {

    PiiCategory category();

    /** Every span of this kind in {@code text}, in order; spans may overlap, the detector resolves that. */
    List<PiiSpan> find(String text);

    /**
     * False only when {@link #find} cannot find anything in {@code text} because every one of its patterns needs
     * a character the text lacks (an ASCII digit, an {@code @}): the detector then skips the recognizer. Most
     * questions and answer windows have no digits.
     */
    default boolean mayFind(String text) {
        return true;
    }

    /**
     * The fewest ASCII digits one number in a text must hold for {@link #find} to find anything: every span this
     * recognizer accepts holds at least that many inside one stretch of digits and {@link #NUMBER_PUNCTUATION}
     * (its patterns' {@code [0-9]} repeats, or its checks' digit counts). The detector measures a text's longest
     * number once ({@link #mostDigitsInOneNumber}) and skips recognizers that need more; 0 = no such bound.
     */
    default int minimumDigits() {
        return 0;
    }

    /**
     * {@link #find}, told the most ASCII digits one number of the text holds ({@link #mostDigitsInOneNumber}), so
     * a recognizer with several patterns can skip those that need more ({@code Integer.MAX_VALUE}: run them all).
     * Must return exactly what {@link #find} does.
     */
    default List<PiiSpan> find(String text, int digitsInLongestNumber) {
        return find(text);
    }

    /**
     * Whether {@code text} has a run of at least {@code length} characters that are ASCII letters, digits or one
     * of {@code extra}. A non-ASCII character counts as part of a run: under {@code (?i)} re2j folds some of them
     * into ASCII letters (the Kelvin sign reads as {@code k}, the long s as {@code s}), so a run is never missed.
     */
    static boolean hasRun(String text, int length, String extra) {
        int run = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean inRun = c >= 0x80 || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || extra.indexOf(c) >= 0;
            run = inRun ? run + 1 : 0;
            if (run >= length) {
                return true;
            }
        }
        return false;
    }

    /**
     * What the number patterns (cards, SSNs, phones, DNI/NIE, BSN, IPv4, an IBAN's check digits) may put between
     * the digits they count: every one of their spans is a stretch of ASCII digits and these characters (the
     * letters of an id or an extension come before or after the digits that are counted).
     */
    String NUMBER_PUNCTUATION = " .-()+";

    /**
     * The most ASCII digits ({@code [0-9]}; re2j folds no other character into one) in one stretch of digits and
     * {@link #NUMBER_PUNCTUATION}: no span of a number pattern can hold more. An answer citing {@code [1] [2]} and
     * a year holds at most 4, whatever its total count of digits.
     */
    static int mostDigitsInOneNumber(String text) {
        int most = 0;
        int inStretch = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= '0' && c <= '9') {
                most = Math.max(most, ++inStretch);
            } else if (NUMBER_PUNCTUATION.indexOf(c) < 0) {
                inStretch = 0;
            }
        }
        return most;
    }

    /** Whether {@code text} has an ASCII digit, which every {@code [0-9]} pattern needs. */
    static boolean hasAsciiDigit(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= '0' && c <= '9') {
                return true;
            }
        }
        return false;
    }
}
