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
import dev.genaiplatform.guardrails.policy.PolicyResolver;
import dev.genaiplatform.guardrails.pseudonym.PseudonymVault;
import dev.genaiplatform.guardrails.security.KafkaTokenVerifier;
import dev.genaiplatform.guardrails.verdict.VerdictPublisher;
import org.slf4j.MDC;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.messaging.handler.annotation.SendTo;
import org.springframework.security.oauth2.jwt.Jwt;

import java.nio.charset.StandardCharsets;

/**
 * The input listener as wave 8 shipped it, for {@code KafkaRoundTripBenchmark}'s side-by-side "before": the verdict
 * event is written first, and the reply goes out through {@code @SendTo} after the method returns. (Its log line
 * is left out: an uneventful check logs nothing at INFO in either version.)
 */
public class SendToInputCheckListener {

    private final GuardrailPipeline pipeline;
    private final PolicyResolver policies;
    private final KafkaTokenVerifier tokens;
    private final VerdictPublisher verdicts;
    private final PseudonymVault vault;
    private final QuestionEmbeddings questionEmbeddings;

    SendToInputCheckListener(GuardrailPipeline pipeline, PolicyResolver policies, KafkaTokenVerifier tokens,
                             VerdictPublisher verdicts, PseudonymVault vault, QuestionEmbeddings questionEmbeddings) {
        this.pipeline = pipeline;
        this.policies = policies;
        this.tokens = tokens;
        this.verdicts = verdicts;
        this.vault = vault;
        this.questionEmbeddings = questionEmbeddings;
    }

    @KafkaListener(topics = Topics.GUARDRAILS_CHECK_INPUT)
    @SendTo
    InputCheckedReply check(CheckInputCommand command,
                            @Header(name = PlatformHeaders.AUTHORIZATION, required = false) byte[] token) {
        Jwt verified = tokens.verify(token);
        String tenant = verified.getClaimAsString(InternalToken.CLAIM_TENANT);
        try (var tenantMdc = MDC.putCloseable("tenantId", tenant);
             var request = command.requestId() == null ? null : MDC.putCloseable("requestId", command.requestId())) {
            Pseudonyms pseudonyms = command.conversationId() == null ? Pseudonyms.perRequest()
                    : vault.pseudonyms(tenant, command.conversationId());
            var outcome = pipeline.check(command, policies.resolve(command.policy(), tenant), pseudonyms);
            verdicts.publish(outcome, tenant, "input", new String(token, StandardCharsets.UTF_8));
            InputCheckedReply reply = outcome.reply();
            TextEmbedding question = questionEmbeddings.of(command, reply);
            return question == null ? reply : new InputCheckedReply(reply.requestId(), reply.verdict(),
                    reply.messages(), reply.findings(), reply.reason(), reply.tools(), reply.responseFormatSchema(),
                    reply.stop(), reply.user(), reply.injectionScore(), question);
        }
    }

    /** Add to a service's sources: its input listener is replaced by this one. */
    @TestConfiguration(proxyBeanMethods = false)
    public static class Swap {

        @Bean
        static BeanDefinitionRegistryPostProcessor sendToInputListener() {
            return (BeanDefinitionRegistry registry) -> {
                registry.removeBeanDefinition("inputCheckListener");
                registry.registerBeanDefinition("sendToInputCheckListener",
                        new RootBeanDefinition(SendToInputCheckListener.class));
            };
        }
    }
}
