package dev.genaiplatform.guardrails.messaging;

import dev.genaiplatform.contracts.PlatformHeaders;
import dev.genaiplatform.contracts.Topics;
import dev.genaiplatform.contracts.guardrails.CheckOutputCommand;
import dev.genaiplatform.contracts.guardrails.JudgePassagesCommand;
import dev.genaiplatform.contracts.guardrails.OutputCheckedReply;
import dev.genaiplatform.contracts.guardrails.PassageVerdict;
import dev.genaiplatform.contracts.guardrails.PassagesJudgedReply;
import dev.genaiplatform.contracts.guardrails.Verdict;
import dev.genaiplatform.contracts.security.InternalToken;
import dev.genaiplatform.guardrails.output.OutputChecker;
import dev.genaiplatform.guardrails.policy.PolicyResolver;
import dev.genaiplatform.guardrails.security.KafkaTokenVerifier;
import dev.genaiplatform.guardrails.verdict.VerdictPublisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.messaging.handler.annotation.Headers;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Judges a document's passages as untrusted data while retrieval indexes them ({@link JudgePassagesCommand}), so
 * chat requests can use the stored verdicts instead of sending every passage here again. The judgement is the
 * per-request one ({@link OutputChecker#judgeAtIndexing}), under the policy the tenant's passages are screened with.
 *
 * <p>No caller token is required (ADR 0004: indexing outlives the upload's request; the broker lets only retrieval
 * write this topic). When retrieval forwards the uploader's token and it still verifies for the named tenant, each
 * verdict is recorded as a {@code retrieved-chunk} verdict event, once, at indexing; evaluation accepts only
 * events with a token, so verdicts of the built-in corpus (no uploader) and of late ingestions are logged only.
 */
@Component
class PassageJudgeListener {

    private static final Logger log = LoggerFactory.getLogger(PassageJudgeListener.class);

    private final OutputChecker checker;
    private final PolicyResolver policies;
    private final KafkaTokenVerifier tokens;
    private final VerdictPublisher verdicts;
    private final CheckReplies replies;

    PassageJudgeListener(OutputChecker checker, PolicyResolver policies, KafkaTokenVerifier tokens,
                         VerdictPublisher verdicts, CheckReplies replies) {
        this.checker = checker;
        this.policies = policies;
        this.tokens = tokens;
        this.verdicts = verdicts;
        this.replies = replies;
    }

    @KafkaListener(topics = Topics.GUARDRAILS_JUDGE_PASSAGES, properties =
            "spring.json.value.default.type=dev.genaiplatform.contracts.guardrails.JudgePassagesCommand")
    void judge(JudgePassagesCommand command, @Header(name = PlatformHeaders.AUTHORIZATION, required = false) byte[] token,
               @Headers MessageHeaders received) {
        if (command == null || command.tenantId() == null || command.tenantId().isBlank()) {
            throw new IllegalArgumentException("A judge-passages command must name a tenant");
        }
        var policy = policies.resolve(null, command.tenantId());
        Instant now = Instant.now();
        long started = System.nanoTime();
        List<PassageVerdict> judged = new ArrayList<>(command.texts().size());
        for (String text : command.texts()) {
            judged.add(checker.judgeAtIndexing(text, policy, now));
        }
        long tookMicros = (System.nanoTime() - started) / 1_000;
        replies.send(received, Topics.GUARDRAILS_PASSAGES_JUDGED, new PassagesJudgedReply(command.requestId(), judged));
        String rawToken = tokenFor(command.tenantId(), token);
        if (rawToken != null) {
            long eachMicros = judged.isEmpty() ? 0 : tookMicros / judged.size();
            judged.forEach(verdict -> verdicts.publishOutput(new OutputCheckedReply(command.requestId(),
                    CheckOutputCommand.SOURCE_RETRIEVED_CHUNK, verdict.verdict(), "", verdict.findings(),
                    verdict.reason(), verdict.injectionScore()), policy.name(), command.tenantId(), rawToken,
                    eachMicros));
        }
        long blocked = judged.stream().filter(verdict -> verdict.verdict() == Verdict.BLOCKED).count();
        log.info("Judged {} passages of {} at indexing: {} blocked, policy={} events={} tookMicros={}",
                judged.size(), command.requestId(), blocked, policy.name(), rawToken != null, tookMicros);
    }

    /** The forwarded token when it still verifies and names the command's tenant; null otherwise. */
    private String tokenFor(String tenant, byte[] token) {
        if (token == null) {
            return null;
        }
        try {
            var verified = tokens.verify(token);
            return tenant.equals(verified.getClaimAsString(InternalToken.CLAIM_TENANT))
                    ? new String(token, StandardCharsets.UTF_8) : null;
        } catch (KafkaTokenVerifier.RejectedRecordException expired) {
            return null;
        }
    }
}
