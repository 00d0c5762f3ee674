package dev.genaiplatform.guardrails.pii;

import com.google.re2j.Pattern;

/** Context checks: a cue word shortly before a candidate turns an ambiguous shape into a finding. */
final class Cues {

    private Cues() {
    }

    /** Whether {@code cue} matches within {@code window} characters before {@code start}. */
    static boolean before(Pattern cue, String text, int start, int window) {
        return cue.matcher(text.substring(Math.max(0, start - window), start)).find();
    }

    /** Neither a letter nor a digit at {@code index} (or outside the text). */
    static boolean isBoundary(String text, int index) {
        return index < 0 || index >= text.length() || !Character.isLetterOrDigit(text.charAt(index));
    }
}
