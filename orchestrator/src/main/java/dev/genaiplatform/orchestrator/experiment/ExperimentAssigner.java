package dev.genaiplatform.orchestrator.experiment;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/**
 * Puts a request in an arm of the configured experiment, by the rule evaluation specifies (its
 * {@code ExperimentAssignment} is the reference, and the test vectors are checked here too):
 * <pre>
 * subject = end user id if known, else conversation id, else request id
 * bucket  = first 8 bytes of SHA-256(UTF-8(experiment + "|" + tenant + "|" + subject)), unsigned, mod 10,000
 * arm     = the first arm whose cumulative share (basis points) is greater than bucket
 * </pre>
 * Stable: a user stays in their arm while the shares stay; independent across experiments (the name is hashed).
 * Without a user or conversation the assignment is per request, so such a client may see both arms.
 */
public final class ExperimentAssigner {

    static final int BUCKETS = 10_000;

    private final ExperimentSettings settings;

    public ExperimentAssigner(ExperimentSettings settings) {
        this.settings = settings;
    }

    /**
     * @param experiment    the experiment's name
     * @param arm           the arm's name
     * @param promptVersion the prompt version the arm answers with (null: the default)
     * @param forced        true when an evaluation run chose the arm with {@code X-Platform-Experiment-Arm}
     */
    public record Assignment(String experiment, String arm, String promptVersion, boolean forced) {

        /** As recorded in the completion event's provenance: {@code <experiment>:<arm>}. */
        public String label() {
            return this.experiment == null ? this.arm : this.experiment + ":" + this.arm;
        }
    }

    /** Thrown for an override that names no arm of the running experiment. */
    public static final class UnknownArmException extends IllegalArgumentException {

        UnknownArmException(String message) {
            super(message);
        }
    }

    /**
     * @param override the {@code X-Platform-Experiment-Arm} value ({@code B} or {@code <experiment>:B}) of a caller
     *                 with scope {@code evaluation}; null otherwise
     * @return the arm, or empty when no experiment runs for this tenant and nothing was forced
     */
    public Optional<Assignment> assign(String tenant, String userId, String conversationId, String requestId,
                                       String override) {
        boolean running = this.settings.enabled()
                && (this.settings.tenants().isEmpty() || this.settings.tenants().contains(tenant));
        if (override != null && !override.isBlank()) {
            if (!this.settings.enabled()) {
                // no experiment here: the label is recorded as given (an evaluation run comparing deployments)
                return Optional.of(new Assignment(null, override.strip(), null, true));
            }
            return Optional.of(forced(override.strip()));
        }
        if (!running) {
            return Optional.empty();
        }
        String subject = userId != null ? userId : conversationId != null ? conversationId : requestId;
        int bucket = bucket(this.settings.name(), tenant, subject);
        int cumulative = 0;
        for (ExperimentSettings.Arm arm : this.settings.arms()) {
            cumulative += arm.share();
            if (bucket < cumulative) {
                return Optional.of(new Assignment(this.settings.name(), arm.name(), arm.promptVersion(), false));
            }
        }
        throw new IllegalStateException("arm shares sum to " + BUCKETS + ", so every bucket has an arm");
    }

    private Assignment forced(String override) {
        String armName = override;
        int colon = override.indexOf(':');
        if (colon >= 0) {
            if (!override.substring(0, colon).equals(this.settings.name())) {
                throw new UnknownArmException("X-Platform-Experiment-Arm names experiment '"
                        + override.substring(0, colon) + "', but the running experiment is '" + this.settings.name() + "'.");
            }
            armName = override.substring(colon + 1);
        }
        for (ExperimentSettings.Arm arm : this.settings.arms()) {
            if (arm.name().equals(armName)) {
                return new Assignment(this.settings.name(), arm.name(), arm.promptVersion(), true);
            }
        }
        throw new UnknownArmException("X-Platform-Experiment-Arm names no arm of experiment '" + this.settings.name() + "'.");
    }

    /** The bucket in [0, 10000) of a subject, exactly as evaluation's reference computes it. */
    public static int bucket(String experiment, String tenant, String subject) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((experiment + "|" + tenant + "|" + subject).getBytes(StandardCharsets.UTF_8));
            return (int) Long.remainderUnsigned(ByteBuffer.wrap(digest, 0, 8).getLong(), BUCKETS);
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("every JDK has SHA-256", ex);
        }
    }
}
