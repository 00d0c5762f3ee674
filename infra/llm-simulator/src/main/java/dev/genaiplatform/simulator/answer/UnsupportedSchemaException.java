package dev.genaiplatform.simulator.answer;

/** A JSON schema the simulator cannot promise to satisfy; the message says which keyword and where. */
public final class UnsupportedSchemaException extends IllegalArgumentException {

    UnsupportedSchemaException(String message) {
        super(message);
    }
}
