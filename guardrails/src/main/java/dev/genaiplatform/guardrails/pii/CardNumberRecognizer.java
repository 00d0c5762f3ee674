package dev.genaiplatform.guardrails.pii;

import com.google.re2j.Pattern;

import java.util.List;

/**
 * Payment card numbers (PAN): 13 to 19 digits, optionally grouped by single spaces or dashes
 * ({@code 4111 1111 1111 1111}, {@code 3782-822463-10005}), that pass the Luhn check and do not start with 0
 * (no card issuer number does). A 16-digit number that fails Luhn is an order number or similar and is left alone.
 *
 * <p>What it does NOT catch:
 * <ul>
 *   <li>numbers shorter than 13 digits (some Maestro cards have 12) or written in other ways: dots, several
 *       spaces, line breaks, digits in words ("four one one one..."), non-ASCII digits;</li>
 *   <li>numbers glued to letters or other digits (inside an IBAN or an id);</li>
 *   <li>expiry dates, CVV codes and cardholder names;</li>
 *   <li>one in ten random 13-19 digit numbers passes Luhn, so some non-card numbers ARE masked.</li>
 * </ul>
 */
final class CardNumberRecognizer implements PiiRecognizer {

    /** 13-19 digits, single space or dash allowed between any two; bounded length (see {@link NumberScanner}). */
    private static final Pattern CANDIDATE = Pattern.compile("[0-9](?:[ -]?[0-9]){12,18}");

    @Override
    public PiiCategory category() {
        return PiiCategory.CREDIT_CARD;
    }

    /** 13 to 19 digits. */
    @Override
    public int minimumDigits() {
        return 13;
    }

    /** Nothing to find without an ASCII digit: every pattern needs [0-9]. */
    @Override
    public boolean mayFind(String text) {
        return PiiRecognizer.hasAsciiDigit(text);
    }

    @Override
    public List<PiiSpan> find(String text) {
        return NumberScanner.scan(CANDIDATE, text, PiiCategory.CREDIT_CARD, true, CardNumberRecognizer::isCardNumber);
    }

    private static boolean isCardNumber(String text, int start, int end) {
        String digits = NumberScanner.digitsOf(text, start, end);
        return digits.length() >= 13 && digits.length() <= 19 && digits.charAt(0) != '0' && passesLuhn(digits);
    }

    /** The Luhn mod-10 check: double every second digit from the right, the sum must end in 0. */
    static boolean passesLuhn(String digits) {
        int sum = 0;
        boolean doubled = false;
        for (int i = digits.length() - 1; i >= 0; i--) {
            int digit = digits.charAt(i) - '0';
            if (doubled) {
                digit *= 2;
                if (digit > 9) {
                    digit -= 9;
                }
            }
            sum += digit;
            doubled = !doubled;
        }
        return sum % 10 == 0;
    }
}
