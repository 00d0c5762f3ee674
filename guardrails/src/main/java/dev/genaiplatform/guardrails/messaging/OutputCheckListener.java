package dev.genaiplatform.guardrails.messaging;

import dev.genaiplatform.contracts.PlatformHeaders;
import dev.genaiplatform.contracts.Topics;
import dev.genaiplatform.contracts.guardrails.CheckOutputCommand;
import dev.genaiplatform.contracts.guardrails.Finding;
import dev.genaiplatform.contracts.guardrails.OutputCheckedReply;
import dev.genaiplatform.contracts.guardrails.Verdict;
import dev.genaiplatform.contracts.security.InternalToken;
import dev.genaiplatform.guardrails.output.OutputChecker;
import dev.genaiplatform.guardrails.pseudonym.PseudonymVault;
import dev.genaiplatform.guardrails.policy.PolicyResolver;
import dev.genaiplatform.guardrails.security.KafkaTokenVerifier;
import dev.genaiplatform.guardrails.verdict.VerdictPublisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.messaging.handler.annotation.Headers;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Answers output checks (windows of streamed answers) and indirect-injection scans (retrieved chunks, tool
 * results). Same rules as input checks: the internal token in {@code platform-auth} is verified and names the
 * tenant; a record without one goes to the dead-letter topic. Pseudonyms in an answer are restored from the
 * tenant's vault for the conversation before the reply leaves. The reply leaves before the verdict events are
 * written ({@link CheckReplies}): the caller waits for it, nobody waits for them.
 */
@Component
class OutputCheckListener {

    private static final Logger log = LoggerFactory.getLogger(OutputCheckListener.class);

    private final OutputChecker checker;
    private final PolicyResolver policies;
    private final KafkaTokenVerifier tokens;
    private final VerdictPublisher verdicts;
    private final PseudonymVault vault;
    private final CheckReplies replies;

    OutputCheckListener(OutputChecker checker, PolicyResolver policies, KafkaTokenVerifier tokens,
                        VerdictPublisher verdicts, PseudonymVault vault, CheckReplies replies) {
        this.checker = checker;
        this.policies = policies;
        this.tokens = tokens;
        this.verdicts = verdicts;
        this.vault = vault;
        this.replies = replies;
    }

    @KafkaListener(topics = Topics.GUARDRAILS_CHECK_OUTPUT, properties =
            "spring.json.value.default.type=dev.genaiplatform.contracts.guardrails.CheckOutputCommand")
    void check(CheckOutputCommand command, @Header(name = PlatformHeaders.AUTHORIZATION, required = false) byte[] token,
               @Headers MessageHeaders received) {
        Jwt verified = tokens.verify(token);
        String tenant = verified.getClaimAsString(InternalToken.CLAIM_TENANT);
        String rawToken = new String(token, StandardCharsets.UTF_8);
        var policy = policies.resolve(command.policy(), tenant);
        List<Runnable> verdictEvents = new ArrayList<>(command.texts() == null ? 1 : command.texts().size());
        replies.send(received, Topics.GUARDRAILS_OUTPUT_CHECKED, check(command, policy, tenant, rawToken, verdictEvents));
        verdictEvents.forEach(Runnable::run);
    }

    private OutputCheckedReply check(CheckOutputCommand command, PolicyResolver.NamedPolicy policy, String tenant,
                                     String rawToken, List<Runnable> verdictEvents) {
        if (command.texts() == null) {
            return checkOne(command, policy, tenant, rawToken, true, verdictEvents);
        }
        if (!OutputChecker.untrusted(command)) {
            return OutputChecker.combine(command, List.of());
        }
        // several untrusted texts: each judged and recorded on its own (one verdict event per text, as if sent
        // one by one, so evaluation's counts per stage keep their meaning), answered in one reply
        long started = System.nanoTime();
        List<OutputCheckedReply> items = new ArrayList<>(command.texts().size());
        for (CheckOutputCommand single : OutputChecker.each(command)) {
            items.add(checkOne(single, policy, tenant, rawToken, false, verdictEvents));
        }
        OutputCheckedReply reply = OutputChecker.combine(command, items);
        String line = "Checked {} {}s: verdict={} policy={} tookMicros={}";
        Object[] values = {items.size(), reply.source(), reply.verdict(), policy.name(),
                (System.nanoTime() - started) / 1_000};
        if (!uneventful(reply.verdict(), reply.findings())) {
            log.info(line, values);
        } else {
            log.debug(line, values);
        }
        return reply;
    }

    /**
     * Allowed with no finding: the text goes on untouched. Such a check logs at DEBUG (its verdict event records
     * it); one that blocks, redacts or finds something logs at INFO.
     */
    static boolean uneventful(Verdict verdict, List<Finding> findings) {
        return verdict == Verdict.ALLOWED && (findings == null || findings.isEmpty());
    }

    /**
     * @param logged one log line for this text (a command's texts share the command's one line instead)
     * @param verdictEvents where this text's verdict event is left, to be published once the reply is sent
     */
    private OutputCheckedReply checkOne(CheckOutputCommand command, PolicyResolver.NamedPolicy policy, String tenant,
                                        String rawToken, boolean logged, List<Runnable> verdictEvents) {
        long started = System.nanoTime();
        OutputCheckedReply reply = checker.checkOne(command, policy);
        if (CheckOutputCommand.SOURCE_ANSWER.equals(command.source()) && command.conversationId() != null
                && !reply.text().isEmpty()) {
            reply = new OutputCheckedReply(reply.requestId(), reply.source(), reply.verdict(),
                    vault.restore(tenant, command.conversationId(), reply.text()), reply.findings(), reply.reason(),
                    reply.injectionScore());
        }
        long tookMicros = (System.nanoTime() - started) / 1_000;
        OutputCheckedReply checked = reply;
        verdictEvents.add(() -> verdicts.publishOutput(checked, policy.name(), tenant, rawToken, tookMicros));
        String line = "Checked {}: verdict={} policy={} findings={} tookMicros={}";
        if (logged && !uneventful(reply.verdict(), reply.findings())) {
            log.info(line, reply.source(), reply.verdict(), policy.name(), reply.findings().size(), tookMicros);
        } else {
            log.debug(line, reply.source(), reply.verdict(), policy.name(), reply.findings().size(), tookMicros);
        }
        return reply;
    }
}
