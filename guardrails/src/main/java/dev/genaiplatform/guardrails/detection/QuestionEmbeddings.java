package dev.genaiplatform.guardrails.detection;

import dev.genaiplatform.contracts.guardrails.ChatMessage;
import dev.genaiplatform.contracts.guardrails.CheckInputCommand;
import dev.genaiplatform.contracts.guardrails.InputCheckedReply;
import dev.genaiplatform.contracts.guardrails.Verdict;
import dev.genaiplatform.contracts.retrieval.TextEmbedding;
import dev.genaiplatform.guardrails.injection.InjectionClassifier;
import dev.genaiplatform.guardrails.injection.NormalisedText;
import dev.langchain4j.data.embedding.Embedding;

import java.util.List;
import java.util.Locale;

/**
 * Hands on the embedding the classifiers computed for the last user message, so retrieval need not embed the
 * question again ({@link InputCheckedReply#questionEmbedding()}).
 *
 * <p>The classifiers embed {@link NormalisedText normalised} windows, not the message: ASCII lower-cased, other
 * letters folded, digits between letters read as letters ({@code gpt4} reads {@code gpta}), whitespace runs
 * collapsed. MiniLM's tokenizer is uncased and splits on whitespace, so a window that equals the message
 * lower-cased with its whitespace collapsed gives the model the same tokens as the message itself, and the
 * vector is exactly the message's ({@code QuestionEmbeddingsTests} checks this with the real model). For an
 * ordinary question that holds. When normalisation changed anything else (leetspeak-like digits, homoglyphs,
 * accents, format characters), when the message is longer than one window, when the message was rewritten
 * (masked), or when no classifier ran, the answer is null: never the vector of a different text.
 */
public final class QuestionEmbeddings {

    private final RecentEmbeddings embeddings;

    public QuestionEmbeddings(RecentEmbeddings embeddings) {
        this.embeddings = embeddings;
    }

    /** The embedding of the last user message as forwarded, or null. */
    public TextEmbedding of(CheckInputCommand command, InputCheckedReply reply) {
        if (reply.verdict() == Verdict.BLOCKED) {
            return null;
        }
        String original = lastUserContent(command.messages());
        String forwarded = lastUserContent(reply.messages());
        if (original == null || !original.equals(forwarded)) {
            return null;
        }
        String window = sameTokensWindow(original);
        if (window == null) {
            return null;
        }
        Embedding embedding = embeddings.recall(window);
        return embedding == null ? null : new TextEmbedding(TextEmbedding.MINILM_L6_V2_Q, forwarded, embedding.vector());
    }

    /**
     * The one window the classifiers embedded for {@code text} when MiniLM reads it as the same tokens as
     * {@code text}; null when normalisation changed more than case and whitespace, or when it took several windows.
     */
    static String sameTokensWindow(String text) {
        List<String> windows = InjectionClassifier.windows(NormalisedText.of(text).text());
        if (windows.size() != 1) {
            return null;
        }
        String[] words = text.strip().split("\\s+");
        String collapsed = String.join(" ", words).toLowerCase(Locale.ROOT);
        return windows.getFirst().equals(collapsed) && printableAscii(text) ? windows.getFirst() : null;
    }

    /**
     * ASCII, where Java's lower case is the tokenizer's; no control characters but tab, line feed and carriage
     * return (the tokenizer deletes the others, where the windows would split on a vertical tab or form feed).
     */
    private static boolean printableAscii(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 0x80 || c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
                return false;
            }
        }
        return true;
    }

    private static String lastUserContent(List<ChatMessage> messages) {
        if (messages == null) {
            return null;
        }
        for (int i = messages.size() - 1; i >= 0; i--) {
            if ("user".equals(messages.get(i).role())) {
                return messages.get(i).content();
            }
        }
        return null;
    }
}
