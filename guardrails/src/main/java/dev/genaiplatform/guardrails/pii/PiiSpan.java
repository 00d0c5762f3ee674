package dev.genaiplatform.guardrails.pii;

/**
 * Where a recognizer found personal data: {@code [start, end)} in the text it was given (UTF-16 indexes,
 * as {@link String#substring}). Holds no text, by design.
 */
public record PiiSpan(PiiCategory category, int start, int end) {

    int length() {
        return end - start;
    }
}
