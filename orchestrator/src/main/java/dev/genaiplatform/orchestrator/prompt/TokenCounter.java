package dev.genaiplatform.orchestrator.prompt;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;

/**
 * Counts tokens the way OpenAI's cl100k tokenizer does. Other models split text differently, so for them
 * this is an estimate; budgets leave headroom for that.
 *
 * <p>Creating the encoding loads its vocabulary (a few hundred milliseconds), so create one counter and
 * share it; counting is thread-safe.
 */
public final class TokenCounter {

    /**
     * Each chat message costs a few tokens beyond its text (role and separators); OpenAI documents 3 to 4
     * for its chat format.
     */
    private static final int TOKENS_PER_MESSAGE = 4;

    private final Encoding encoding = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.CL100K_BASE);

    /** Tokens in a piece of text. */
    public int count(String text) {
        return text == null || text.isEmpty() ? 0 : this.encoding.countTokens(text);
    }

    /** Tokens a chat message with this text costs in a prompt. */
    public int countMessage(String text) {
        return messageTokens(count(text));
    }

    /** Tokens a chat message costs in a prompt whose text has {@code textTokens}. */
    public int messageTokens(int textTokens) {
        return TOKENS_PER_MESSAGE + textTokens;
    }
}
