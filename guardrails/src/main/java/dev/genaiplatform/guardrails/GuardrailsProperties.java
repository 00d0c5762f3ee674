package dev.genaiplatform.guardrails;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the guardrails service, under {@code platform.guardrails}.
 *
 * @param maxInputChars {@code platform.guardrails.max-input-chars} (env {@code GUARDRAILS_MAX_INPUT_CHARS}):
 *                      the most characters (Unicode code points) all messages of one request may hold together;
 *                      a longer conversation is BLOCKED before any other detector runs. Default 32000.
 */
@ConfigurationProperties("platform.guardrails")
record GuardrailsProperties(@DefaultValue("32000") int maxInputChars) {

    GuardrailsProperties {
        if (maxInputChars <= 0) {
            throw new IllegalArgumentException("platform.guardrails.max-input-chars must be positive, was " + maxInputChars);
        }
    }
}
