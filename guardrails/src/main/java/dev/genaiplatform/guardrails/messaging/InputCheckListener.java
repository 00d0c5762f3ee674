package dev.genaiplatform.guardrails.messaging;

import dev.genaiplatform.contracts.PlatformHeaders;
import dev.genaiplatform.contracts.Topics;
import dev.genaiplatform.contracts.guardrails.CheckInputCommand;
import dev.genaiplatform.contracts.guardrails.InputCheckedReply;
import dev.genaiplatform.contracts.retrieval.TextEmbedding;
import dev.genaiplatform.contracts.security.InternalToken;
import dev.genaiplatform.guardrails.detection.GuardrailPipeline;
import dev.genaiplatform.guardrails.detection.Pseudonyms;
import dev.genaiplatform.guardrails.detection.QuestionEmbeddings;
import dev.genaiplatform.guardrails.policy.PolicyFingerprints;
import dev.genaiplatform.guardrails.policy.PolicyResolver;
import dev.genaiplatform.guardrails.pseudonym.PseudonymVault;
import dev.genaiplatform.guardrails.security.KafkaTokenVerifier;
import dev.genaiplatform.guardrails.verdict.VerdictPublisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.messaging.handler.annotation.Headers;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;

/**
 * Answers input checks. The record must carry the gateway's internal token in {@code platform-auth}: the tenant
 * (and so its policy) comes from that verified token, never from {@code platform-tenant-id} or the payload. A
 * record without a valid token, or one that cannot be read, goes to the dead-letter topic with the reason (see
 * {@code GuardrailsConfiguration}), so it is never acted on and never blocks the partition.
 *
 * <p>The reply leaves first ({@link CheckReplies}), then the verdict event and the log line: the caller waits for
 * the reply, nobody waits for the event (README, Latency, Wave 9).
 */
@Component
class InputCheckListener {

    private static final Logger log = LoggerFactory.getLogger(InputCheckListener.class);

    private final GuardrailPipeline pipeline;
    private final PolicyResolver policies;
    private final KafkaTokenVerifier tokens;
    private final VerdictPublisher verdicts;
    private final PseudonymVault vault;
    private final QuestionEmbeddings questionEmbeddings;
    private final CheckReplies replies;

    InputCheckListener(GuardrailPipeline pipeline, PolicyResolver policies, KafkaTokenVerifier tokens,
                       VerdictPublisher verdicts, PseudonymVault vault, QuestionEmbeddings questionEmbeddings,
                       CheckReplies replies) {
        this.pipeline = pipeline;
        this.policies = policies;
        this.tokens = tokens;
        this.verdicts = verdicts;
        this.vault = vault;
        this.questionEmbeddings = questionEmbeddings;
        this.replies = replies;
    }

    @KafkaListener(topics = Topics.GUARDRAILS_CHECK_INPUT)
    void check(CheckInputCommand command, @Header(name = PlatformHeaders.AUTHORIZATION, required = false) byte[] token,
               @Headers MessageHeaders received) {
        Jwt verified = tokens.verify(token);
        String tenant = verified.getClaimAsString(InternalToken.CLAIM_TENANT);
        try (var tenantMdc = MDC.putCloseable("tenantId", tenant);
             var request = command.requestId() == null ? null : MDC.putCloseable("requestId", command.requestId())) {
            Pseudonyms pseudonyms = command.conversationId() == null ? Pseudonyms.perRequest()
                    : vault.pseudonyms(tenant, command.conversationId());
            var outcome = pipeline.check(command, policies.resolve(command.policy(), tenant), pseudonyms);
            InputCheckedReply reply = outcome.reply();
            TextEmbedding question = questionEmbeddings.of(command, reply);
            // the fingerprint of the policy this tenant's retrieved passages are judged under (the orchestrator
            // screens them with no named policy): a passage verdict stored at indexing is used only under it
            String untrustedDataPolicy = PolicyFingerprints.of(policies.resolve(null, tenant));
            replies.send(received, Topics.GUARDRAILS_INPUT_CHECKED, new InputCheckedReply(reply.requestId(),
                    reply.verdict(), reply.messages(), reply.findings(), reply.reason(), reply.tools(),
                    reply.responseFormatSchema(), reply.stop(), reply.user(), reply.injectionScore(),
                    question == null ? reply.questionEmbedding() : question, untrustedDataPolicy));
            verdicts.publish(outcome, tenant, "input", new String(token, StandardCharsets.UTF_8));
            // ids, counts and timings only: texts and findings' content never reach the log. A check that lets
            // the text through untouched logs at DEBUG: its verdict event already records it, and a line per
            // request cost about a tenth of this service's CPU at load (README, Wave 7)
            boolean quiet = OutputCheckListener.uneventful(reply.verdict(), reply.findings());
            if (!quiet || log.isDebugEnabled()) {
                String line = "Checked input: verdict={} policy={} findings={} injectionScore={} tookMicros={}";
                Object[] values = {reply.verdict(), outcome.policy(), reply.findings().size(),
                        reply.injectionScore(), outcome.tookMicros()};
                if (quiet) {
                    log.debug(line, values);
                } else {
                    log.info(line, values);
                }
            }
        }
    }
}
