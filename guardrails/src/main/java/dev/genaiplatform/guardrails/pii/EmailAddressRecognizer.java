package dev.genaiplatform.guardrails.pii;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;

import java.util.ArrayList;
import java.util.List;

/**
 * E-mail addresses written the usual way: {@code local@domain.tld}, with letters of any script, digits and
 * {@code . _ % + -} in the local part, dot-separated labels in the domain and a top-level domain of 2+ letters.
 *
 * <p>What it does NOT catch:
 * <ul>
 *   <li>obfuscated addresses: {@code jane at example dot com}, {@code jane[at]example.com}, spaces around
 *       the {@code @}, HTML entities or homoglyph {@code @} signs;</li>
 *   <li>quoted local parts ({@code "jane doe"@example.com}), IP-literal domains ({@code jane@[10.0.0.1]}) and
 *       addresses without a top-level domain ({@code root@localhost});</li>
 *   <li>a user name alone, or the person's name, which often gives the address away anyway.</li>
 * </ul>
 * It does mask things that merely look like addresses, such as {@code git@github.com} in a command.
 */
final class EmailAddressRecognizer implements PiiRecognizer {

    /**
     * No backtracking risk: re2j runs in time linear in the text, which matters because a naive e-mail pattern
     * is quadratic in java.util.regex on a long run of word characters without an {@code @}.
     */
    private static final Pattern ADDRESS = Pattern.compile(
            "[\\p{L}\\p{N}._%+-]+@[\\p{L}\\p{N}-]+(?:\\.[\\p{L}\\p{N}-]+)*\\.\\p{L}{2,}");

    @Override
    public PiiCategory category() {
        return PiiCategory.EMAIL_ADDRESS;
    }

    /** Nothing to find without an @: the pattern has it literally. */
    @Override
    public boolean mayFind(String text) {
        return text.indexOf('@') >= 0;
    }

    @Override
    public List<PiiSpan> find(String text) {
        List<PiiSpan> spans = new ArrayList<>();
        Matcher matcher = ADDRESS.matcher(text);
        while (matcher.find()) {
            int end = matcher.end();
            int at = text.indexOf('@', matcher.start());
            // a local part has no leading or doubled dots: in "see...jane@example.com" they are punctuation
            int doubledDot = text.lastIndexOf("..", at);
            int start = doubledDot >= matcher.start() ? doubledDot : matcher.start();
            while (start < at && text.charAt(start) == '.') {
                start++;
            }
            boolean glued = end < text.length() && Character.isLetterOrDigit(text.charAt(end));
            if (!glued && start < at) {
                spans.add(new PiiSpan(PiiCategory.EMAIL_ADDRESS, start, end));
            }
        }
        return spans;
    }
}
