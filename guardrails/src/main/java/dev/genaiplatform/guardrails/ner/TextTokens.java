package dev.genaiplatform.guardrails.ner;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits text into the tokens the name finder was trained on, keeping each token's offsets: a run of letters,
 * marks and digits (with inner apostrophes, hyphens and dots, as in {@code O'Neil}, {@code Saint-Étienne},
 * {@code St.}), or one other visible character. The trainer uses the same split, so training and use agree.
 * Linear in the text. Known flaw, kept because the shipped model was trained with it: any capitalised word of up
 * to three letters before a full stop keeps the dot ({@code Roe.}), so such a name's span ends one character late.
 */
public final class TextTokens {

    private TextTokens() {
    }

    /** A token and where it is: {@code [start, end)} in the text. */
    public record Token(String text, int start, int end) {
    }

    public static List<Token> of(String text) {
        List<Token> tokens = new ArrayList<>();
        int i = 0;
        int length = text.length();
        while (i < length) {
            int c = text.codePointAt(i);
            if (Character.isWhitespace(c) || Character.isSpaceChar(c) || Character.isISOControl(c)) {
                i += Character.charCount(c);
                continue;
            }
            int start = i;
            if (isWordChar(c)) {
                i += Character.charCount(c);
                while (i < length) {
                    int next = text.codePointAt(i);
                    if (isWordChar(next)) {
                        i += Character.charCount(next);
                    } else if (isJoiner(next) && i + 1 < length && isWordChar(text.codePointAt(i + 1))) {
                        i += 1;
                    } else if (next == '.' && i - start <= 3 && Character.isUpperCase(text.codePointAt(start))
                            && (i + 1 >= length || !isWordChar(text.codePointAt(i + 1)))) {
                        i += 1; // abbreviations: "St.", "Dr.", "Apt."
                        break;
                    } else {
                        break;
                    }
                }
            } else {
                i += Character.charCount(c);
            }
            tokens.add(new Token(text.substring(start, i), start, i));
        }
        return tokens;
    }

    private static boolean isWordChar(int c) {
        return Character.isLetterOrDigit(c) || Character.getType(c) == Character.NON_SPACING_MARK
                || Character.getType(c) == Character.COMBINING_SPACING_MARK;
    }

    private static boolean isJoiner(int c) {
        return c == '\'' || c == '’' || c == '-';
    }
}
