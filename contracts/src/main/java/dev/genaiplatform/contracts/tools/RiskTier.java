package dev.genaiplatform.contracts.tools;

/** How much harm a tool can do if a model calls it wrongly, or is tricked into calling it. */
public enum RiskTier {
    /** Reads, changes nothing: a calculator, a product search, a document search. */
    READ,
    /** Changes the caller's own data in ways that are easy to see and undo: book a meeting in their calendar. */
    WRITE,
    /** Acts on the world or on others, or spends money: send an e-mail, submit a claim. Always needs a human approval. */
    SENSITIVE
}
