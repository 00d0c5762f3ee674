package dev.genaiplatform.guardrails.output;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.genaiplatform.contracts.guardrails.Finding;
import dev.genaiplatform.contracts.guardrails.OutputCheckedReply;
import dev.genaiplatform.contracts.guardrails.Verdict;
import dev.genaiplatform.guardrails.detection.TextDigest;
import dev.genaiplatform.guardrails.policy.GuardrailPolicy;
import dev.genaiplatform.guardrails.policy.PolicyResolver.NamedPolicy;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * Remembered verdicts of untrusted texts (retrieved passages, tool results). Such a verdict depends only on the
 * text, its source and the policy, and the same passages come back for many questions, so the injection scan
 * and classifier (the dearest step of an output check) run once per distinct passage and policy.
 *
 * <p>Key: the SHA-256 of the text (the text itself is not kept), the source, the policy's name and the policy's
 * whole content (a record compared by value: detectors, actions, thresholds). A policy whose content changes
 * therefore never meets a verdict judged under its old content; {@link #invalidateAll()} drops everything when
 * policies are reloaded or the detectors change. The detectors and classifier weights are fixed for the life of
 * the process. Bounded in entries and in age. The spotlighting wrapper is not cached: each reply gets a fresh
 * random delimiter id.
 */
public final class UntrustedVerdicts {

    /** A verdict about one untrusted text, without the text. */
    public record Judgement(Verdict verdict, List<Finding> findings, String reason, double injectionScore) {

        OutputCheckedReply reply(String requestId, String source, String text) {
            return new OutputCheckedReply(requestId, source, verdict,
                    verdict == Verdict.BLOCKED ? "" : OutputChecker.spotlight(text), findings, reason, injectionScore);
        }
    }

    private record Key(String textSha256, String source, String policyName, GuardrailPolicy policy) {
    }

    private final Cache<Key, Judgement> judgements;

    private UntrustedVerdicts(Cache<Key, Judgement> judgements) {
        this.judgements = judgements;
    }

    /** At most {@code maxEntries} verdicts, each for at most {@code maxAge}. */
    public static UntrustedVerdicts bounded(int maxEntries, Duration maxAge) {
        return new UntrustedVerdicts(Caffeine.newBuilder().maximumSize(maxEntries).expireAfterWrite(maxAge).build());
    }

    /** Judges every text afresh. */
    public static UntrustedVerdicts none() {
        return new UntrustedVerdicts(null);
    }

    Judgement judge(String text, String source, NamedPolicy policy, Supplier<Judgement> judge) {
        if (judgements == null) {
            return judge.get();
        }
        return judgements.get(new Key(TextDigest.sha256(text), source, policy.name(), policy.policy()),
                key -> judge.get());
    }

    public void invalidateAll() {
        if (judgements != null) {
            judgements.invalidateAll();
        }
    }

    public long size() {
        if (judgements == null) {
            return 0;
        }
        judgements.cleanUp();
        return judgements.estimatedSize();
    }
}
