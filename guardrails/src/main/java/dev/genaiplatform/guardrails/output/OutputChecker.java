package dev.genaiplatform.guardrails.output;

import dev.genaiplatform.contracts.guardrails.CheckOutputCommand;
import dev.genaiplatform.contracts.guardrails.Finding;
import dev.genaiplatform.contracts.guardrails.OutputCheckedReply;
import dev.genaiplatform.contracts.guardrails.PassageVerdict;
import dev.genaiplatform.contracts.guardrails.UntrustedData;
import dev.genaiplatform.contracts.guardrails.Verdict;
import dev.genaiplatform.guardrails.detection.NonOverlappingSpans;
import dev.genaiplatform.guardrails.injection.PromptInjectionDetector;
import dev.genaiplatform.guardrails.pii.PiiDetector;
import dev.genaiplatform.guardrails.pii.PiiSpan;
import dev.genaiplatform.guardrails.moderation.ModerationCategory;
import dev.genaiplatform.guardrails.moderation.ModerationDetector;
import dev.genaiplatform.guardrails.policy.Action;
import dev.genaiplatform.guardrails.policy.GuardrailPolicy;
import dev.genaiplatform.guardrails.policy.OwaspCategory;
import dev.genaiplatform.guardrails.policy.PolicyFingerprints;
import dev.genaiplatform.guardrails.policy.PolicyResolver.NamedPolicy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.time.Instant;

/**
 * Checks text that did not come from the client (see {@link CheckOutputCommand}).
 *
 * <p>Answers: canary and system-prompt runs (always BLOCK: {@code SYSTEM_PROMPT_LEAK}), Markdown/HTML images and
 * links sending data to hosts not allowed (BLOCK: {@code EXFILTRATION_LINK}), then shaped PII and secrets with
 * the policy's action (the answer's own PII is masked, so a model cannot echo back data it saw in a retrieved
 * document). Names and addresses are not checked in answers (the model is slower than the stream).
 *
 * <p>Retrieved chunks and tool results: indirect injection (the same normalisation, rules and classifier as the
 * input check); at or above the policy's threshold the chunk is BLOCKED (leave it out), otherwise it comes back
 * wrapped for spotlighting: {@code <<untrusted-data id=N>> ... <</untrusted-data id=N>>} with a random id, so
 * the data cannot close the block itself (delimiter look-alikes inside are neutralised).
 *
 * <p>Answers are also moderated when the policy runs {@code moderation} ({@link ModerationDetector}: rules and the
 * classifier over the window): a category whose action is BLOCK stops the stream with the category's message;
 * WARN lets the window through with the message in {@code reason}. Retrieved chunks and tool results are not
 * moderated (documents may discuss crime and violence); they are scanned for injection.
 */
public final class OutputChecker {

    private final PiiDetector pii;
    private final PromptInjectionDetector injection;
    private final ModerationDetector moderation;
    private final UntrustedVerdicts untrustedVerdicts;

    /**
     * @param moderation        null to never moderate answers
     * @param untrustedVerdicts remembered verdicts of untrusted texts; {@link UntrustedVerdicts#none()} to judge
     *                          every text afresh
     */
    public OutputChecker(PiiDetector pii, PromptInjectionDetector injection, ModerationDetector moderation,
                         UntrustedVerdicts untrustedVerdicts) {
        this.pii = pii;
        this.injection = injection;
        this.moderation = moderation;
        this.untrustedVerdicts = untrustedVerdicts;
    }

    /** Without a verdict cache. */
    public OutputChecker(PiiDetector pii, PromptInjectionDetector injection, ModerationDetector moderation) {
        this(pii, injection, moderation, UntrustedVerdicts.none());
    }

    /**
     * One text ({@code text}), or several untrusted texts ({@code texts}): then each is checked on its own and
     * the reply holds one verdict per text in {@code items}; see {@link #combine}.
     */
    public OutputCheckedReply check(CheckOutputCommand command, NamedPolicy policy) {
        if (command.texts() == null) {
            return checkOne(command, policy);
        }
        if (!untrusted(command)) {
            return combine(command, List.of());
        }
        List<OutputCheckedReply> items = new ArrayList<>(command.texts().size());
        for (CheckOutputCommand single : each(command)) {
            items.add(checkOne(single, policy));
        }
        return combine(command, items);
    }

    /** A retrieved chunk or tool result (anything but an answer window). */
    public static boolean untrusted(CheckOutputCommand command) {
        return command.source() != null && !command.source().equals(CheckOutputCommand.SOURCE_ANSWER);
    }

    /** The single-text commands a command with {@code texts} stands for, in order. */
    public static List<CheckOutputCommand> each(CheckOutputCommand command) {
        return command.texts().stream().map(text -> new CheckOutputCommand(command.requestId(), command.source(),
                text, 0, command.canary(), command.systemPrompt(), command.allowedDomains(), command.conversationId(),
                command.policy())).toList();
    }

    /**
     * The reply to a command with {@code texts}: {@code items} in order; the top-level verdict is the strictest
     * (BLOCKED over REDACTED over ALLOWED), the score the highest, the text empty and the findings empty (each
     * item has its own, at offsets of its own text); {@code reason} says how many were left out. Several answer
     * windows in one command are not a thing: they are refused as BLOCKED, so a stream never runs unchecked.
     */
    public static OutputCheckedReply combine(CheckOutputCommand command, List<OutputCheckedReply> items) {
        if (!untrusted(command)) {
            String source = command.source() == null ? CheckOutputCommand.SOURCE_ANSWER : command.source();
            return new OutputCheckedReply(command.requestId(), source, Verdict.BLOCKED, "", List.of(),
                    "Answer windows are checked one at a time; several in one command were refused.", null, List.of());
        }
        String source = command.source();
        Verdict strictest = Verdict.ALLOWED;
        Double highest = null;
        long blocked = 0;
        for (OutputCheckedReply item : items) {
            strictest = item.verdict().compareTo(strictest) > 0 ? item.verdict() : strictest;
            if (item.injectionScore() != null) {
                highest = highest == null ? item.injectionScore() : Math.max(highest, item.injectionScore());
            }
            blocked += item.verdict() == Verdict.BLOCKED ? 1 : 0;
        }
        String reason = blocked == 0 ? null : blocked + " of " + items.size() + " " + source.replace('-', ' ')
                + "s carried instructions for the model and were left out.";
        return new OutputCheckedReply(command.requestId(), source, strictest, "", List.of(), reason, highest,
                List.copyOf(items));
    }

    /** One text. */
    public OutputCheckedReply checkOne(CheckOutputCommand command, NamedPolicy policy) {
        String text = command.text() == null ? "" : command.text();
        String source = command.source() == null ? CheckOutputCommand.SOURCE_ANSWER : command.source();
        if (!source.equals(CheckOutputCommand.SOURCE_ANSWER)) {
            UntrustedVerdicts.Judgement judgement = untrustedVerdicts.judge(text, source, policy,
                    () -> judgeUntrusted(text, source, policy));
            return judgement.reply(command.requestId(), source, text);
        }
        List<Finding> findings = new ArrayList<>();
        List<LeakageDetectors.Leak> blocking = new ArrayList<>();
        blocking.addAll(LeakageDetectors.canary(text, command.canary()));
        blocking.addAll(LeakageDetectors.systemPromptRuns(text, command.systemPrompt()));
        blocking.addAll(LeakageDetectors.exfiltration(text, command.allowedDomains()));
        for (LeakageDetectors.Leak leak : blocking) {
            findings.add(finding(leak.category().equals("EXFILTRATION_LINK") ? "exfiltration" : "system-prompt",
                    leak.category(), leak.start(), leak.end(), command.offset(), source));
        }
        List<PiiSpan> masks = new ArrayList<>();
        boolean block = !blocking.isEmpty();
        if (policy.policy().runs("pii")) {
            NonOverlappingSpans taken = new NonOverlappingSpans();
            blocking.forEach(leak -> taken.offer(leak.start(), leak.end()));
            for (PiiSpan span : pii.find(text)) {
                Action action = policy.policy().actionFor(span.category().name());
                if (action == Action.BLOCK || taken.offer(span.start(), span.end())) {
                    findings.add(finding("pii", span.category().name(), span.start(), span.end(), command.offset(), source));
                    block |= action == Action.BLOCK;
                    if (action != Action.REPORT && action != Action.BLOCK) {
                        masks.add(span);
                    }
                }
            }
        }
        ModerationCategory blockingHarm = null;
        ModerationCategory warningHarm = null;
        if (moderation != null && policy.policy().runs(GuardrailPolicy.MODERATION)) {
            ModerationDetector.Assessment assessment = moderation.assess(text);
            for (ModerationCategory category : assessment.flagged(policy.policy().moderationThreshold())) {
                List<ModerationDetector.Assessment.Span> spans = assessment.spans().stream()
                        .filter(span -> span.category() == category).toList();
                if (spans.isEmpty()) {
                    findings.add(finding(ModerationDetector.NAME, category.name(), -1, -1, command.offset(), source));
                }
                spans.forEach(span -> findings.add(finding(ModerationDetector.NAME, category.name(), span.start(),
                        span.end(), command.offset(), source)));
                Action action = policy.policy().actionFor(category.name());
                if (action == Action.BLOCK && blockingHarm == null) {
                    blockingHarm = category;
                }
                if (action == Action.WARN && warningHarm == null) {
                    warningHarm = category;
                }
            }
        }
        findings.sort(Comparator.comparingInt(Finding::start));
        if (block || blockingHarm != null) {
            String reason = blocking.isEmpty() && blockingHarm != null ? blockingHarm.userMessage() : reason(blocking);
            return new OutputCheckedReply(command.requestId(), source, Verdict.BLOCKED, "", findings, reason, null);
        }
        String warning = warningHarm == null ? null : warningHarm.userMessage();
        if (masks.isEmpty()) {
            return new OutputCheckedReply(command.requestId(), source, Verdict.ALLOWED, text, findings, warning, null);
        }
        return new OutputCheckedReply(command.requestId(), source, Verdict.REDACTED, mask(text, masks), findings,
                warning, null);
    }

    /** What an untrusted text's verdict is; depends only on the text, its source and the policy. */
    private UntrustedVerdicts.Judgement judgeUntrusted(String text, String source, NamedPolicy policy) {
        PromptInjectionDetector.Assessment assessment = injection.assess(text);
        List<Finding> findings = new ArrayList<>();
        for (int[] span : assessment.spans()) {
            findings.add(finding(PromptInjectionDetector.NAME, OwaspCategory.PROMPT_INJECTION_CATEGORY, span[0], span[1], 0, source));
        }
        boolean injected = !assessment.spans().isEmpty() || assessment.score() >= policy.policy().injectionThreshold();
        if (injected && assessment.spans().isEmpty()) {
            findings.add(finding(PromptInjectionDetector.NAME, OwaspCategory.PROMPT_INJECTION_CATEGORY, -1, -1, 0, source));
        }
        if (injected && policy.policy().actionFor(OwaspCategory.PROMPT_INJECTION_CATEGORY) == Action.BLOCK) {
            return new UntrustedVerdicts.Judgement(Verdict.BLOCKED, List.copyOf(findings),
                    "This " + source.replace('-', ' ') + " carries instructions for the model, so it was left out.",
                    assessment.score());
        }
        return new UntrustedVerdicts.Judgement(Verdict.ALLOWED, List.copyOf(findings), null, assessment.score());
    }

    /**
     * A retrieved passage's verdict as stored beside it at indexing: the same judgement (and the same remembered
     * verdicts) as a per-request check, without the spotlight fence, which the orchestrator adds fresh per request.
     */
    public PassageVerdict judgeAtIndexing(String text, NamedPolicy policy, Instant now) {
        String source = CheckOutputCommand.SOURCE_RETRIEVED_CHUNK;
        String checked = text == null ? "" : text;
        UntrustedVerdicts.Judgement judgement = untrustedVerdicts.judge(checked, source, policy,
                () -> judgeUntrusted(checked, source, policy));
        return new PassageVerdict(judgement.verdict(), judgement.injectionScore(), judgement.findings(),
                judgement.reason(), PolicyFingerprints.of(policy), now);
    }

    /** Wraps untrusted data in the platform's one spotlight fence ({@link UntrustedData#fence}). */
    static String spotlight(String text) {
        return UntrustedData.fence(text);
    }

    private static String reason(List<LeakageDetectors.Leak> blocking) {
        if (blocking.stream().anyMatch(leak -> leak.category().equals("EXFILTRATION_LINK"))) {
            return "The answer was stopped: it tried to send data to an untrusted site through a link or an image.";
        }
        if (!blocking.isEmpty()) {
            return "The answer was stopped: it started to reveal the assistant's confidential instructions.";
        }
        return "The answer was stopped: it contained data this platform's policy does not allow to be shown.";
    }

    private static String mask(String text, List<PiiSpan> masks) {
        masks.sort(Comparator.comparingInt(PiiSpan::start));
        StringBuilder out = new StringBuilder(text.length());
        int copied = 0;
        for (PiiSpan span : masks) {
            out.append(text, copied, span.start()).append('<').append(span.category().name()).append('>');
            copied = span.end();
        }
        return out.append(text, copied, text.length()).toString();
    }

    private static Finding finding(String detector, String category, int start, int end, long offset, String source) {
        return start < 0 ? new Finding(detector, category, -1, -1, -1, source)
                : new Finding(detector, category, -1, (int) (start + offset), (int) (end + offset), source);
    }
}
