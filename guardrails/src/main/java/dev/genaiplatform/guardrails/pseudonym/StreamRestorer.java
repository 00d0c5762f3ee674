package dev.genaiplatform.guardrails.pseudonym;

/**
 * Restores pseudonyms in a streamed answer whose chunks may split a pseudonym ({@code "<PER"} then
 * {@code "SON_1> called"}). It holds back a tail that could still become a pseudonym (a {@code <} followed
 * by at most 48 pseudonym characters), and releases it with the next chunk or at the end. One per stream; not
 * thread-safe. The orchestrator can run the same logic on its side; the output check does it per window.
 */
public final class StreamRestorer {

    private static final int MAX_PSEUDONYM = 50;

    private final PseudonymVault vault;
    private final String tenant;
    private final String conversationId;
    private final StringBuilder pending = new StringBuilder();

    public StreamRestorer(PseudonymVault vault, String tenant, String conversationId) {
        this.vault = vault;
        this.tenant = tenant;
        this.conversationId = conversationId;
    }

    /** The restored text that can be sent now; a possible pseudonym prefix at the end is kept for later. */
    public String next(String chunk) {
        pending.append(chunk);
        int hold = holdFrom(pending);
        String ready = pending.substring(0, hold);
        pending.delete(0, hold);
        return vault.restore(tenant, conversationId, ready);
    }

    /** Everything still held back, restored: call when the stream ends. */
    public String finish() {
        String rest = vault.restore(tenant, conversationId, pending.toString());
        pending.setLength(0);
        return rest;
    }

    /** Where an unfinished pseudonym starts, or the length when there is none. */
    static int holdFrom(CharSequence text) {
        int open = -1;
        for (int i = text.length() - 1; i >= 0 && text.length() - i <= MAX_PSEUDONYM; i--) {
            char c = text.charAt(i);
            if (c == '<') {
                open = i;
                break;
            }
            if (!(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_')) {
                return text.length();
            }
        }
        return open < 0 ? text.length() : open;
    }
}
