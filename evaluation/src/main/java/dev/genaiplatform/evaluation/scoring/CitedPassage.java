package dev.genaiplatform.evaluation.scoring;

/**
 * One entry of an answer's {@code citations}: the number the answer uses and where the passage sits.
 *
 * @param index        the answer's marker, {@code [index]}
 * @param documentPath the document, relative to the corpus root
 * @param startOffset  first character of the passage in the document
 * @param endOffset    one past its last character
 */
public record CitedPassage(int index, String documentPath, int startOffset, int endOffset) {
}
