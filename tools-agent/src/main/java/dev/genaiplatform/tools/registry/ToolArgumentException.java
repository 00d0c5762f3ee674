package dev.genaiplatform.tools.registry;

/**
 * The arguments fit the schema but the tool still cannot take them (an expression with a forbidden name, say).
 * The message goes back to the caller, so it must say what is wrong without echoing secrets.
 */
public class ToolArgumentException extends RuntimeException {

    public ToolArgumentException(String message) {
        super(message);
    }
}
