package dev.genaiplatform.guardrails.pii;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;

import java.util.ArrayList;
import java.util.List;

/**
 * API keys, tokens and private keys, three ways:
 * <ol>
 *   <li>known prefixes: OpenAI/Anthropic ({@code sk-...}), AWS access key ids ({@code AKIA...}), GitHub
 *       ({@code ghp_...}, {@code github_pat_...}), GitLab ({@code glpat-...}), Slack ({@code xoxb-...}), Google
 *       ({@code AIza...}), Stripe ({@code sk_live_...}), JSON Web Tokens, PEM private key blocks;</li>
 *   <li>the value after a cue ({@code api_key=}, {@code "password": "..."}, {@code token:});</li>
 *   <li>any other run of 24+ token characters that looks random: Shannon entropy of at least 4.2 bits per
 *       character and at least three of lower case, upper case, digits.</li>
 * </ol>
 * What it does NOT catch: short or low-entropy passwords without a cue ("my password is summer2024" IS caught
 * by the cue, "summer2024" alone is not), secrets split across lines, keys encoded in ways that lower their
 * entropy. Hashes and UUIDs are hex (at most 4 bits per character), so they are not taken by the entropy test.
 */
final class SecretRecognizer implements PiiRecognizer {

    static final Pattern KNOWN = Pattern.compile(
            "sk-(?:ant-|proj-)?[A-Za-z0-9_-]{20,200}"
                    + "|(?:AKIA|ASIA)[0-9A-Z]{16}"
                    + "|gh[pousr]_[A-Za-z0-9]{36,80}|github_pat_[A-Za-z0-9_]{22,200}"
                    + "|glpat-[A-Za-z0-9_-]{20,80}"
                    + "|xox[abprs]-[A-Za-z0-9-]{10,200}"
                    + "|AIza[0-9A-Za-z_-]{35}"
                    + "|[rs]k_(?:live|test)_[A-Za-z0-9]{16,200}"
                    + "|eyJ[A-Za-z0-9_-]{8,1000}\\.eyJ[A-Za-z0-9_-]{8,1000}\\.[A-Za-z0-9_-]{8,1000}"
                    + "|-----BEGIN [A-Z ]{0,40}PRIVATE KEY-----[A-Za-z0-9+/=\\s]*(?:-----END [A-Z ]{0,40}PRIVATE KEY-----)?");
    static final Pattern AFTER_CUE = Pattern.compile(
            "(?i)(?:api[_-]?key|secret|token|password|passwd|pwd|passphrase|client[_-]?secret|access[_-]?key)"
                    + "[\"']?\\s{0,3}[:=]\\s{0,3}[\"']?([^\\s\"',;]{6,200})"
                    + "|(?i)(?:password|passphrase|passcode)\\s+is\\s+[\"']?([^\\s\"',;]{6,200})");
    static final Pattern TOKEN_LIKE = Pattern.compile("[A-Za-z0-9+/_=-]{24,400}");
    /** A literal of each alternative of {@link #KNOWN}: without one, that pattern cannot match. */
    private static final List<String> KNOWN_LITERALS = List.of("sk-", "AKIA", "ASIA", "ghp_", "gho_", "ghu_", "ghs_",
            "ghr_", "github_pat_", "glpat-", "xox", "AIza", "k_live_", "k_test_", "eyJ", "-----BEGIN ");
    /** A lower-case literal of each cue of {@link #AFTER_CUE}, for ASCII text (see {@link #mayHaveCue}). */
    private static final List<String> CUE_LITERALS = List.of("api", "secret", "token", "pass", "pwd", "access");
    /** How far before a {@code :} or {@code =} a cue literal may start: 10 in the cue word, a quote, three spaces. */
    private static final int CUE_REACH = 16;
    /** The cues of {@link #AFTER_CUE}'s second branch ("my password is ..."), lower case. */
    private static final List<String> SPOKEN_CUES = List.of("password", "passphrase", "passcode");

    @Override
    public PiiCategory category() {
        return PiiCategory.SECRET;
    }

    @Override
    public List<PiiSpan> find(String text) {
        // each pattern runs only on text that could hold a match: they are the dearest of the shaped checks
        List<PiiSpan> spans = new ArrayList<>();
        Matcher known = mayBeKnown(text) ? KNOWN.matcher(text) : null;
        while (known != null && known.find()) {
            spans.add(new PiiSpan(PiiCategory.SECRET, known.start(), known.end()));
        }
        Matcher cued = mayHaveCue(text) ? AFTER_CUE.matcher(text) : null;
        while (cued != null && cued.find()) {
            int group = cued.start(1) >= 0 ? 1 : 2;
            spans.add(new PiiSpan(PiiCategory.SECRET, cued.start(group), cued.end(group)));
        }
        Matcher tokens = mayBeTokenLike(text) ? TOKEN_LIKE.matcher(text) : null;
        while (tokens != null && tokens.find()) {
            String token = text.substring(tokens.start(), tokens.end());
            if (Cues.isBoundary(text, tokens.start() - 1) && looksRandom(token)) {
                spans.add(new PiiSpan(PiiCategory.SECRET, tokens.start(), tokens.end()));
            }
        }
        return spans;
    }

    /** Whether {@link #KNOWN} may match: one of its alternatives' literals is in the text. */
    static boolean mayBeKnown(String text) {
        return KNOWN_LITERALS.stream().anyMatch(text::contains);
    }

    /** Whether {@link #TOKEN_LIKE} may match: a run of 24 of its characters. */
    static boolean mayBeTokenLike(String text) {
        return PiiRecognizer.hasRun(text, 24, "+/_=-");
    }

    /**
     * Whether a cue of {@link #AFTER_CUE} may be in the text, followed as the pattern needs: its first branch needs
     * a {@code :} or {@code =} within four characters after the cue, its second "password", "passphrase" or
     * "passcode" (and "is"). Prose that only mentions tokens or passages, as documentation answers do, has neither. The pattern is case-insensitive, and re2j folds a few
     * non-ASCII letters into ASCII ones, so text with any non-ASCII character is always scanned.
     */
    static boolean mayHaveCue(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) >= 0x80) {
                return true;
            }
        }
        String lower = text.toLowerCase(java.util.Locale.ROOT);
        return hasCueBeforeAssignment(lower) || SPOKEN_CUES.stream().anyMatch(lower::contains);
    }

    /**
     * The first branch: a cue word, an optional quote, at most three spaces, then {@code :} or {@code =}. Every cue
     * word holds one of {@link #CUE_LITERALS} starting at most 10 characters before its end ("access" in
     * "access_key"), so such a literal lies within the {@value #CUE_REACH} characters before the sign. An answer
     * that says "passages" or "tokens" and has a colon somewhere else is not scanned.
     */
    private static boolean hasCueBeforeAssignment(String lower) {
        for (int sign = 0; sign < lower.length(); sign++) {
            char c = lower.charAt(sign);
            if (c == ':' || c == '=') {
                String before = lower.substring(Math.max(0, sign - CUE_REACH), sign);
                if (CUE_LITERALS.stream().anyMatch(before::contains)) {
                    return true;
                }
            }
        }
        return false;
    }

    static boolean looksRandom(String token) {
        int lower = 0;
        int upper = 0;
        int digits = 0;
        int[] counts = new int[128];
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            counts[c]++;
            lower += Character.isLowerCase(c) ? 1 : 0;
            upper += Character.isUpperCase(c) ? 1 : 0;
            digits += Character.isDigit(c) ? 1 : 0;
        }
        int classes = (lower > 0 ? 1 : 0) + (upper > 0 ? 1 : 0) + (digits > 0 ? 1 : 0);
        return classes == 3 && entropy(counts, token.length()) >= 4.2;
    }

    private static double entropy(int[] counts, int length) {
        double bits = 0;
        for (int count : counts) {
            if (count > 0) {
                double p = (double) count / length;
                bits -= p * Math.log(p) / Math.log(2);
            }
        }
        return bits;
    }
}
