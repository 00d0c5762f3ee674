package dev.genaiplatform.retrieval.rewrite;

import java.util.Optional;

/**
 * HyDE (Gao et al., "Precise Zero-Shot Dense Retrieval without Relevance Labels", 2022): a model writes the passage
 * that would answer the question, and that passage's embedding is searched, since an answer sits closer to other
 * answers in embedding space than a question does. Never throws: empty when no passage could be written, and the
 * search then goes on without it.
 */
public interface HypotheticalAnswers {

    /** A hypothetical answer passage for {@code question}, or empty. */
    Optional<String> write(String question);
}
