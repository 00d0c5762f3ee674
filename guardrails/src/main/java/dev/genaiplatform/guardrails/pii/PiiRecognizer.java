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
     * The fewest ASCII digits a text must hold for {@link #find} to find anything: every span this recognizer
     * accepts contains at least that many (its patterns' {@code [0-9]} repeats, or its checks' digit counts). The
     * detector counts a text's digits once and skips recognizers that need more; 0 = no such bound.
     */
    default int minimumDigits() {
        return 0;
    }

    /**
     * {@link #find}, told how many ASCII digits the text holds, so a recognizer with several patterns can skip
     * those that need more ({@code Integer.MAX_VALUE}: run them all). Must return exactly what {@link #find} does.
     */
    default List<PiiSpan> find(String text, int asciiDigits) {
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

    /** How many ASCII digits {@code text} holds ({@code [0-9]}; re2j folds no other character into one). */
    static int asciiDigits(String text) {
        int digits = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= '0' && c <= '9') {
                digits++;
            }
        }
        return digits;
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
