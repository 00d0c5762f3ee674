package dev.genaiplatform.orchestrator.prompt;

import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Lines the orchestrator puts before a grounded prompt's instructions, for the output checks:
 * {@code prompts/canary.st} (a per-request canary, so guardrails can tell when an answer leaks the system prompt)
 * and {@code prompts/untrusted-data.st} (the rule for passages fenced in untrusted-data delimiters, only when one is).
 */
public final class PromptPreambles {

    private final String canaryTemplate;
    private final String untrustedData;

    public PromptPreambles() {
        this(new ClassPathResource("prompts/canary.st"), new ClassPathResource("prompts/untrusted-data.st"));
    }

    public PromptPreambles(Resource canary, Resource untrustedData) {
        this.canaryTemplate = read(canary).strip();
        this.untrustedData = read(untrustedData).strip();
    }

    /** @param canary null when no output check will look for it; @param fenced whether a passage is fenced */
    public String preamble(String canary, boolean fenced) {
        StringBuilder preamble = new StringBuilder();
        if (canary != null) {
            preamble.append(this.canaryTemplate.replace("{canary}", canary)).append('\n');
        }
        if (fenced) {
            preamble.append(this.untrustedData).append('\n');
        }
        return preamble.toString();
    }

    private static String read(Resource resource) {
        try {
            return resource.getContentAsString(StandardCharsets.UTF_8);
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot read prompt " + resource, ex);
        }
    }
}
