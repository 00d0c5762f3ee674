package dev.genaiplatform.guardrails.output;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What an answer must not carry beyond personal data: the system prompt's canary token, long verbatim runs of
 * the system prompt, and Markdown images or links that send data to a site the tenant did not allow.
 *
 * <p>What it does NOT catch: a system prompt paraphrased, translated or spelled out in pieces shorter than
 * {@value #RUN_WORDS} words; a canary split by the model (one character per line); exfiltration through
 * plain-text URLs the user clicks, HTML other than {@code <img src>}, or data encoded in a subdomain of an
 * allowed host (allowed means allowed).
 */
final class LeakageDetectors {

    /** A verbatim run of this many words of the system prompt counts as leakage. */
    static final int RUN_WORDS = 8;

    static final Pattern MARKDOWN_URL = Pattern.compile(
            "(!?)\\[[^\\]\\n]{0,500}\\]\\(\\s*<?(https?://[^)\\s>]{1,1000})>?[^)]{0,200}\\)|<img[^>]{0,500}src=[\"']?(https?://[^\"'\\s>]{1,1000})");
    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+");

    record Leak(String category, int start, int end) {
    }

    private LeakageDetectors() {
    }

    static List<Leak> canary(String text, String canary) {
        List<Leak> leaks = new ArrayList<>();
        if (canary == null || canary.isBlank()) {
            return leaks;
        }
        String lower = text.toLowerCase(Locale.ROOT);
        String needle = canary.toLowerCase(Locale.ROOT);
        for (int at = lower.indexOf(needle); at >= 0; at = lower.indexOf(needle, at + 1)) {
            leaks.add(new Leak("SYSTEM_PROMPT_LEAK", at, at + needle.length()));
        }
        return leaks;
    }

    /** Runs of {@value #RUN_WORDS} consecutive words (case-insensitive) that also occur in the system prompt. */
    static List<Leak> systemPromptRuns(String text, String systemPrompt) {
        List<Leak> leaks = new ArrayList<>();
        if (systemPrompt == null || systemPrompt.isBlank()) {
            return leaks;
        }
        Set<String> shingles = new HashSet<>();
        List<String> promptWords = words(systemPrompt, null);
        for (int i = 0; i + RUN_WORDS <= promptWords.size(); i++) {
            shingles.add(String.join(" ", promptWords.subList(i, i + RUN_WORDS)));
        }
        List<int[]> positions = new ArrayList<>();
        List<String> answerWords = words(text, positions);
        int coveredUpTo = -1;
        for (int i = 0; i + RUN_WORDS <= answerWords.size(); i++) {
            if (shingles.contains(String.join(" ", answerWords.subList(i, i + RUN_WORDS)))) {
                int start = positions.get(i)[0];
                int end = positions.get(i + RUN_WORDS - 1)[1];
                if (start < coveredUpTo && !leaks.isEmpty()) {
                    Leak last = leaks.removeLast();
                    leaks.add(new Leak(last.category(), last.start(), end));
                } else {
                    leaks.add(new Leak("SYSTEM_PROMPT_LEAK", start, end));
                }
                coveredUpTo = end;
            }
        }
        return leaks;
    }

    /**
     * Markdown images (loaded by the client without a click) and links to hosts not allowed, when the URL carries
     * data: a query string, a fragment, or a path segment longer than 24 characters.
     */
    static List<Leak> exfiltration(String text, List<String> allowedDomains) {
        List<Leak> leaks = new ArrayList<>();
        if (!mayHaveUrl(text)) {
            return leaks;
        }
        Matcher matcher = MARKDOWN_URL.matcher(text);
        while (matcher.find()) {
            String url = matcher.group(2) != null ? matcher.group(2) : matcher.group(3);
            if (carriesData(url) && !allowed(url, allowedDomains)) {
                leaks.add(new Leak("EXFILTRATION_LINK", matcher.start(), matcher.end()));
            }
        }
        return leaks;
    }

    /**
     * Whether {@link #MARKDOWN_URL} can match: its first branch needs the literal {@code ](}, its second the literal
     * {@code <img} (both case-sensitive in the pattern). Most answers have neither, and the pattern is not run.
     */
    static boolean mayHaveUrl(String text) {
        return text.contains("](") || text.contains("<img");
    }

    private static boolean carriesData(String url) {
        if (url.contains("?") || url.contains("#")) {
            return true;
        }
        for (String segment : url.replaceFirst("^https?://[^/]*", "").split("/")) {
            if (segment.length() > 24) {
                return true;
            }
        }
        return false;
    }

    private static boolean allowed(String url, List<String> allowedDomains) {
        String host;
        try {
            host = URI.create(url.replace(" ", "%20")).getHost();
        }
        catch (IllegalArgumentException unparseable) {
            return false;
        }
        if (host == null || allowedDomains == null) {
            return false;
        }
        String lower = host.toLowerCase(Locale.ROOT);
        return allowedDomains.stream().map(domain -> domain.toLowerCase(Locale.ROOT))
                .anyMatch(domain -> lower.equals(domain) || lower.endsWith("." + domain));
    }

    /**
     * The runs of letters and digits ({@code [\p{L}\p{N}]+}), lower-cased, with their positions when asked. ASCII
     * text (most answers and prompts) is split by hand: there the pattern's classes are exactly {@code [A-Za-z0-9]};
     * text with any other character goes through the pattern, whose Unicode tables decide.
     */
    static List<String> words(String text, List<int[]> positions) {
        return isAscii(text) ? asciiWords(text, positions) : patternWords(text, positions);
    }

    static List<String> asciiWords(String text, List<int[]> positions) {
        List<String> words = new ArrayList<>();
        int start = -1;
        for (int i = 0; i <= text.length(); i++) {
            boolean inWord = i < text.length() && isAsciiLetterOrDigit(text.charAt(i));
            if (inWord && start < 0) {
                start = i;
            } else if (!inWord && start >= 0) {
                words.add(text.substring(start, i).toLowerCase(Locale.ROOT));
                if (positions != null) {
                    positions.add(new int[] {start, i});
                }
                start = -1;
            }
        }
        return words;
    }

    private static boolean isAscii(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    private static boolean isAsciiLetterOrDigit(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9';
    }

    static List<String> patternWords(String text, List<int[]> positions) {
        List<String> words = new ArrayList<>();
        Matcher matcher = WORD.matcher(text);
        while (matcher.find()) {
            words.add(matcher.group().toLowerCase(Locale.ROOT));
            if (positions != null) {
                positions.add(new int[] {matcher.start(), matcher.end()});
            }
        }
        return words;
    }
}
