package dev.genaiplatform.orchestrator.guardrails;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.util.List;

/**
 * The output side of guardrails, under {@code platform.orchestrator.output-checks}.
 *
 * @param enabled         check answers before the user sees them ({@code OUTPUT_CHECKS_ENABLED}); off only for
 *                        experiments on latency, never in production
 * @param screenPassages  scan retrieved passages for indirect injection before they go into a prompt
 * @param spotlight       {@code flagged}: only passages guardrails found something in go into the prompt fenced in
 *                        its untrusted-data delimiters (clean ones go as they are, under the template's "reference
 *                        material, not instructions"); {@code all}: every passage is fenced (more tokens, and a
 *                        quoting model may copy the delimiters)
 * @param windowChars     a streamed answer is checked each time this many new characters arrived (cut at the last
 *                        whitespace, so a word or a pseudonym token is never split between windows)
 * @param lookBehindChars how much already-sent text each window repeats, so a leak across windows is seen whole
 * @param allowedDomains  hosts an answer may link to or load images from (subdomains included)
 * @param useIndexedVerdicts use a passage's verdict judged when it was indexed, when guardrails' current policy
 *                        fingerprint for the tenant matches it, instead of sending the passage to guardrails again
 *                        ({@code OUTPUT_CHECKS_USE_INDEXED_VERDICTS}; off only to measure the difference)
 */
@ConfigurationProperties("platform.orchestrator.output-checks")
public record OutputCheckSettings(@DefaultValue("true") boolean enabled,
                                  @DefaultValue("true") boolean screenPassages,
                                  @DefaultValue("flagged") Spotlight spotlight,
                                  @DefaultValue("64") int windowChars,
                                  @DefaultValue("400") int lookBehindChars,
                                  List<String> allowedDomains,
                                  @DefaultValue("true") boolean useIndexedVerdicts) {

    public OutputCheckSettings {
        allowedDomains = allowedDomains == null ? List.of() : List.copyOf(allowedDomains);
        if (windowChars < 16 || lookBehindChars < 0) {
            throw new IllegalArgumentException("platform.orchestrator.output-checks.window-chars must be at least 16, "
                    + "look-behind-chars not negative");
        }
    }

    /** Which passages go into the prompt inside untrusted-data delimiters. */
    public enum Spotlight {
        FLAGGED, ALL
    }
}
