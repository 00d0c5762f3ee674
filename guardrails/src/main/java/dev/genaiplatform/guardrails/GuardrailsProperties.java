package dev.genaiplatform.guardrails;

import dev.genaiplatform.guardrails.policy.GuardrailPolicy;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;
import java.util.Map;

/**
 * Settings of the guardrails service, under {@code platform.guardrails}.
 *
 * @param maxInputChars  {@code max-input-chars} (env {@code GUARDRAILS_MAX_INPUT_CHARS}): the most characters
 *                       (Unicode code points) of everything one request sends to a model (messages, tool calls,
 *                       tool definitions, schema, stop, user); above it the request is BLOCKED before any other
 *                       check runs. Default 32000.
 * @param policies       {@code policies.<name>}: the named policies (see {@link GuardrailPolicy}); one must be
 *                       called {@code default}
 * @param tenantPolicies {@code tenant-policies.<tenant>}: the policy a tenant gets when the caller names none
 * @param pseudonymTtl   {@code pseudonym-ttl} (env {@code GUARDRAILS_PSEUDONYM_TTL}): how long a conversation's
 *                       pseudonym vault lives in Redis after its last write. Default 24h.
 * @param moderation     {@code moderation.*}: the optional hosted moderation endpoint
 * @param embedding      {@code embedding.*}: how the in-process MiniLM uses threads
 */
@ConfigurationProperties("platform.guardrails")
record GuardrailsProperties(@DefaultValue("32000") int maxInputChars,
                            Map<String, GuardrailPolicy> policies,
                            Map<String, String> tenantPolicies,
                            @DefaultValue("24h") Duration pseudonymTtl,
                            @DefaultValue Moderation moderation,
                            @DefaultValue Embedding embedding) {

    /**
     * A hosted moderation endpoint in the OpenAI {@code /v1/moderations} shape, off unless {@code hosted-url} is
     * set. Its scores raise the local classifier's; when it fails, the local checks decide alone.
     *
     * @param hostedUrl     {@code hosted-url} (env {@code GUARDRAILS_MODERATION_URL}), e.g.
     *                      {@code https://api.openai.com/v1/moderations}; unset = never called
     * @param hostedModel   {@code hosted-model} (env {@code GUARDRAILS_MODERATION_MODEL}), sent as {@code model}
     *                      when set
     * @param hostedApiKey  {@code hosted-api-key} (env {@code GUARDRAILS_MODERATION_API_KEY}), sent as a bearer
     *                      token; never commit it
     * @param hostedTimeout {@code hosted-timeout}: connect and answer timeout, default 2s
     */
    record Moderation(String hostedUrl, String hostedModel, String hostedApiKey,
                      @DefaultValue("2s") Duration hostedTimeout) {
    }

    /**
     * ONNX Runtime's threads for the MiniLM both classifiers read (see {@code MiniLm}).
     *
     * @param intraOpThreads {@code intra-op-threads} (env {@code GUARDRAILS_EMBEDDING_INTRA_OP_THREADS}): threads per
     *                       inference, the calling one included. Default 2
     * @param spinning       {@code spinning} (env {@code GUARDRAILS_EMBEDDING_SPINNING}): whether idle ONNX workers
     *                       busy-wait for work (ONNX Runtime's own default; CPU burnt for nothing on shared cores).
     *                       Default false
     */
    record Embedding(@DefaultValue("2") int intraOpThreads, @DefaultValue("false") boolean spinning) {
    }

    GuardrailsProperties {
        if (maxInputChars <= 0) {
            throw new IllegalArgumentException("platform.guardrails.max-input-chars must be positive, was " + maxInputChars);
        }
        policies = policies == null || policies.isEmpty()
                ? Map.of("default", new GuardrailPolicy(null, null, null, 0.5, null)) : policies;
        tenantPolicies = tenantPolicies == null ? Map.of() : tenantPolicies;
    }
}
