package dev.genaiplatform.tools.registry;

/**
 * How much harm a tool can do if a model calls it wrongly or is tricked into calling it. Ordered: each level
 * includes the ones before it when used as a ceiling.
 */
public enum RiskLevel {
    /** Reads nothing private and changes nothing: a calculator, a unit converter. */
    LOW,
    /** Reads data the caller may see, or has effects that are easy to undo: search a tenant's documents, draft an e-mail. */
    MEDIUM,
    /** Changes the world or spends money: send an e-mail, place an order, run code. Deserves a human in the loop. */
    HIGH;

    public boolean atMost(RiskLevel ceiling) {
        return compareTo(ceiling) <= 0;
    }
}
