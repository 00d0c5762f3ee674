package dev.genaiplatform.simulator.answer;

import java.util.Optional;
import java.util.OptionalDouble;
import java.util.regex.Pattern;

/**
 * Where {@link SchemaInstanceWriter} gets the values it writes: the answer's sentences for structured
 * output, the question for tool arguments. Each method may decline, and the writer then falls back to a
 * value that merely satisfies the schema.
 */
interface SchemaValues {

    /** A string for {@code property} (the item's position {@code index} when inside an array, else 0). */
    String string(String property, int index);

    OptionalDouble number(String property, int index);

    boolean bool(String property);

    /** How many items an array {@code property} should have before minItems/maxItems apply. */
    int items(String property);

    /**
     * The {@code index}-th piece of the source text that a string schema's {@code pattern} accepts (an e-mail
     * address, a policy number, a date), when the source has one; declined by default.
     */
    default Optional<String> matching(Pattern pattern, int index) {
        return Optional.empty();
    }
}
