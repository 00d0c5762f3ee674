package dev.genaiplatform.guardrails.policy;

import dev.genaiplatform.guardrails.detection.TextDigest;
import dev.genaiplatform.guardrails.policy.PolicyResolver.NamedPolicy;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A short, stable name for "this policy, with this content, judged by this judge": the key a verdict stored outside
 * guardrails (a passage's, judged at indexing) is valid under. It is a SHA-256 over the policy's name and content
 * (written in a fixed order, not by {@code toString}, whose map order differs between JVMs) and the judge's own
 * content ({@link JudgeContent}: the judging classes, the classifier's weights and model, the libraries' versions).
 * Two processes of the same build and configuration give the same fingerprint; a changed detector list, action,
 * threshold, rule pattern, weight or model gives another, without anyone having to remember to bump a version.
 */
public final class PolicyFingerprints {

    private static final Map<NamedPolicy, String> KNOWN = new ConcurrentHashMap<>();

    private PolicyFingerprints() {
    }

    /** {@code <policy name>:<16 hex digits of a SHA-256 over this build's judge and the policy's content>}. */
    public static String of(NamedPolicy policy) {
        return KNOWN.computeIfAbsent(policy, named -> of(named, JudgeContent.shipped()));
    }

    /** The fingerprint of {@code named} under the judge whose {@link JudgeContent#digest} is {@code judge}. */
    public static String of(NamedPolicy named, String judge) {
        GuardrailPolicy policy = named.policy();
        Map<String, Action> actions = new TreeMap<>();
        policy.actions().forEach((category, action) -> actions.put(category.toUpperCase(Locale.ROOT), action));
        String canonical = judge + "\n" + named.name() + "\n" + new TreeSet<>(policy.detectors()) + "\n"
                + policy.defaultAction() + "\n" + actions + "\n" + policy.injectionThreshold() + "\n"
                + policy.moderationThreshold();
        return named.name() + ":" + TextDigest.sha256(canonical).substring(0, 16);
    }
}
