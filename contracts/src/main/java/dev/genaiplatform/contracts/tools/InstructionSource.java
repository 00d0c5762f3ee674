package dev.genaiplatform.contracts.tools;

/**
 * One source of the instruction behind a tool call, so a human approving it can see whether the user asked for it
 * or text the model read (a document, an earlier tool's result) did. Filled by the caller, which saw the context.
 *
 * @param kind    {@code user_message}, {@code assistant_message}, {@code tool_result}, {@code document} or
 *                {@code system}
 * @param ref     an id the caller can resolve: a message index, a tool call id, a chunk or file id
 * @param excerpt a short quote of the text that carried the instruction (at most a few hundred characters)
 */
public record InstructionSource(String kind, String ref, String excerpt) {
}
