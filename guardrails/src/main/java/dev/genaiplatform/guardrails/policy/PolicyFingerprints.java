package dev.genaiplatform.guardrails.policy;

import dev.genaiplatform.guardrails.detection.TextDigest;
import dev.genaiplatform.guardrails.policy.PolicyResolver.NamedPolicy;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A short, stable name for "this policy, with this content, judged by these detectors": the key a verdict stored
 * outside guardrails (a passage's, judged at indexing) is valid under. Two processes with the same configuration
 * and build give the same fingerprint (the content is written in a fixed order, not by {@code toString}, whose map
 * order differs between JVMs); any change of detectors, actions or thresholds gives another, and so does
 * {@link #JUDGE_VERSION}, bumped whenever the injection rules or classifier change what they find.
 */
public final class PolicyFingerprints {

    /** Bump when the untrusted-data judgement (injection rules, normalisation, classifier weights) changes. */
    public static final String JUDGE_VERSION = "untrusted-v1";

    private static final Map<NamedPolicy, String> KNOWN = new ConcurrentHashMap<>();

    private PolicyFingerprints() {
    }

    /** {@code <policy name>:<16 hex digits of a SHA-256 over the judge version and the policy's content>}. */
    public static String of(NamedPolicy policy) {
        return KNOWN.computeIfAbsent(policy, PolicyFingerprints::compute);
    }

    private static String compute(NamedPolicy named) {
        GuardrailPolicy policy = named.policy();
        Map<String, Action> actions = new TreeMap<>();
        policy.actions().forEach((category, action) -> actions.put(category.toUpperCase(Locale.ROOT), action));
        String canonical = JUDGE_VERSION + "\n" + named.name() + "\n" + new TreeSet<>(policy.detectors()) + "\n"
                + policy.defaultAction() + "\n" + actions + "\n" + policy.injectionThreshold() + "\n"
                + policy.moderationThreshold();
        return named.name() + ":" + TextDigest.sha256(canonical).substring(0, 16);
    }
}
