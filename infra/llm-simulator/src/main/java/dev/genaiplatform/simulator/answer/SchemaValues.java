package dev.genaiplatform.simulator.answer;

import java.util.OptionalDouble;

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
}
