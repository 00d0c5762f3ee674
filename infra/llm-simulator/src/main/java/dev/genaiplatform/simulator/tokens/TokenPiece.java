package dev.genaiplatform.simulator.tokens;

/**
 * A piece of output text as the model emits it: usually one token, a few when a single character spans
 * several tokens (an emoji, some accented letters), so every piece is valid text on its own.
 *
 * @param text   the decoded text, with its leading space if the token has one
 * @param tokens how many tokens it is made of
 */
public record TokenPiece(String text, int tokens) {
}
