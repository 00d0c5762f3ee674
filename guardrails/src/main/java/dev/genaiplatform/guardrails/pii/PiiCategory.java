package dev.genaiplatform.guardrails.pii;

/**
 * The kinds of personal data and secrets the shaped-data detector finds, named as Presidio names them where
 * Presidio has a name. Declaration order is precedence: when spans of two kinds overlap, the earlier kind wins
 * (a checksum-valid IBAN is a stronger signal than a digit run inside it that looks like a phone number).
 */
public enum PiiCategory {
    SECRET,
    CREDIT_CARD,
    IBAN_CODE,
    US_SSN,
    ES_NIF,
    IT_FISCAL_CODE,
    NL_BSN,
    EMAIL_ADDRESS,
    IP_ADDRESS,
    DATE_TIME,
    PHONE_NUMBER
}
