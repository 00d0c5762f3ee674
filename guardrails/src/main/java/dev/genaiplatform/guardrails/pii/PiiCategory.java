package dev.genaiplatform.guardrails.pii;

/**
 * The kinds of personal data the PII detector masks. Declaration order is precedence: when spans of two
 * kinds overlap, the earlier kind wins (a Luhn-valid card number is a stronger signal than a digit run that
 * also looks like a phone number).
 */
public enum PiiCategory {
    CARD_NUMBER,
    EMAIL_ADDRESS,
    PHONE_NUMBER
}
