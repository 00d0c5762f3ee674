package dev.genaiplatform.guardrails.pii;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;

import java.util.ArrayList;
import java.util.List;

/**
 * IP addresses: dotted IPv4 with every octet at most 255 ({@code 192.168.0.12}), and IPv6 in full or
 * compressed form ({@code 2001:db8::8a2e:370:7334}, {@code ::1}). A dotted quad inside a longer dotted run
 * ({@code 1.2.3.4.5}, a version number) is not taken.
 *
 * <p>What it does NOT catch: IPv4 in other notations (hex, one integer), IPv6 with an embedded IPv4 tail or a
 * zone id, addresses glued to letters. Loopback and private addresses ARE reported: whether they matter is the
 * policy's call.
 */
final class IpAddressRecognizer implements PiiRecognizer {

    private static final Pattern V4 = Pattern.compile("[0-9]{1,3}(?:\\.[0-9]{1,3}){3}");
    static final Pattern V6 = Pattern.compile("(?i)[0-9a-f:]*:[0-9a-f:]*:[0-9a-f:]*");

    @Override
    public PiiCategory category() {
        return PiiCategory.IP_ADDRESS;
    }

    @Override
    public List<PiiSpan> find(String text) {
        return find(text, PiiRecognizer.hasAsciiDigit(text) ? Integer.MAX_VALUE : 0);
    }

    @Override
    public List<PiiSpan> find(String text, int digitsInLongestNumber) {
        List<PiiSpan> spans = new ArrayList<>();
        // v4 needs four digits (one per octet), v6 two colons with only hex digits between them
        Matcher v4 = digitsInLongestNumber >= 4 ? V4.matcher(text) : null;
        while (v4 != null && v4.find()) {
            if (standsAlone(text, v4.start(), v4.end()) && octetsInRange(text.substring(v4.start(), v4.end()))) {
                spans.add(new PiiSpan(PiiCategory.IP_ADDRESS, v4.start(), v4.end()));
            }
        }
        Matcher v6 = mayHaveIpv6(text) ? V6.matcher(text) : null;
        while (v6 != null && v6.find()) {
            if (Cues.isBoundary(text, v6.start() - 1) && Cues.isBoundary(text, v6.end())
                    && isIpv6(text.substring(v6.start(), v6.end()))) {
                spans.add(new PiiSpan(PiiCategory.IP_ADDRESS, v6.start(), v6.end()));
            }
        }
        return spans;
    }

    /**
     * Whether {@link #V6} may match: it needs two colons with nothing but hex digits between them. Prose with a
     * colon per sentence has none. A non-ASCII character counts as a hex digit, for safety with case folding.
     */
    static boolean mayHaveIpv6(String text) {
        int colon = text.indexOf(':');
        while (colon >= 0) {
            int next = colon + 1;
            while (next < text.length() && mayBeHexDigit(text.charAt(next))) {
                next++;
            }
            if (next < text.length() && text.charAt(next) == ':') {
                return true;
            }
            colon = text.indexOf(':', next);
        }
        return false;
    }

    private static boolean mayBeHexDigit(char c) {
        return c >= 0x80 || c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
    }

    private static boolean standsAlone(String text, int start, int end) {
        boolean dottedBefore = start >= 2 && text.charAt(start - 1) == '.' && Character.isDigit(text.charAt(start - 2));
        boolean dottedAfter = end + 1 < text.length() && text.charAt(end) == '.' && Character.isDigit(text.charAt(end + 1));
        return Cues.isBoundary(text, start - 1) && Cues.isBoundary(text, end) && !dottedBefore && !dottedAfter;
    }

    private static boolean octetsInRange(String candidate) {
        for (String octet : candidate.split("\\.")) {
            if (Integer.parseInt(octet) > 255 || octet.length() > 1 && octet.charAt(0) == '0') {
                return false;
            }
        }
        return true;
    }

    /**
     * Eight groups of one to four hex digits, or fewer with exactly one {@code ::}. A clock time (10:30:00) has
     * three groups and no {@code ::}, so it is not taken.
     */
    static boolean isIpv6(String candidate) {
        if (candidate.length() < 2 || candidate.length() > 39) {
            return false;
        }
        int compressed = candidate.indexOf("::");
        if (compressed >= 0 && candidate.indexOf("::", compressed + 1) >= 0) {
            return false;
        }
        String body = compressed >= 0 ? candidate.replace("::", ":x:") : candidate;
        String[] groups = body.split(":", -1);
        int counted = 0;
        for (int i = 0; i < groups.length; i++) {
            String group = groups[i];
            if (group.equals("x") || group.isEmpty() && compressed >= 0 && (i == 0 || i == groups.length - 1)) {
                continue;
            }
            if (group.isEmpty() || group.length() > 4) {
                return false;
            }
            counted++;
        }
        return compressed >= 0 ? counted < 8 && (counted >= 2 || candidate.equalsIgnoreCase("::1")) : counted == 8;
    }
}
