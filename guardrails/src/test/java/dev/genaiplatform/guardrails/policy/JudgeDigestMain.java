package dev.genaiplatform.guardrails.policy;

/** Prints this build's judge digest and a fixed policy's fingerprint: run in a second JVM by {@code JudgeContentTests}. */
final class JudgeDigestMain {

    private JudgeDigestMain() {
    }

    public static void main(String[] args) {
        System.out.println(JudgeContent.shipped());
        System.out.println(PolicyFingerprints.of(JudgeContentTests.STRICT));
    }
}
