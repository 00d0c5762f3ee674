package dev.genaiplatform.evaluation.experiments;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The reference definition of how a request is assigned to an experiment arm; the orchestrator must compute
 * exactly this (see the README's "A/B experiments" for the rule and test vectors), and this class produces the
 * vectors. Stable: the same subject always lands in the same arm while the shares stay the same, so a user
 * does not flip between variants; independent across experiments, because the experiment name is hashed too.
 *
 * <pre>
 * bucket = first 8 bytes of SHA-256(UTF-8 of experiment + "|" + tenant + "|" + subject), as an unsigned
 *          big-endian integer, modulo 10,000
 * arm    = the first arm, in the configured order, whose cumulative share in basis points exceeds bucket
 * </pre>
 * The subject is the end user when known, else the conversation id, else the request id (then the assignment is
 * per request and a user may see both arms).
 */
public final class ExperimentAssignment {

    static final int BUCKETS = 10_000;

    private ExperimentAssignment() {
    }

    public static int bucket(String experiment, String tenant, String subject) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((experiment + "|" + tenant + "|" + subject).getBytes(StandardCharsets.UTF_8));
            long first = ByteBuffer.wrap(digest, 0, 8).getLong();
            return (int) Long.remainderUnsigned(first, BUCKETS);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /**
     * @param sharesInBasisPoints arm → share, in order, summing to 10,000
     */
    public static String arm(String experiment, String tenant, String subject, LinkedHashMap<String, Integer> sharesInBasisPoints) {
        int total = sharesInBasisPoints.values().stream().mapToInt(Integer::intValue).sum();
        if (total != BUCKETS) {
            throw new IllegalArgumentException("arm shares must sum to 10000 basis points, not " + total);
        }
        int bucket = bucket(experiment, tenant, subject);
        int cumulative = 0;
        for (Map.Entry<String, Integer> arm : sharesInBasisPoints.entrySet()) {
            cumulative += arm.getValue();
            if (bucket < cumulative) {
                return arm.getKey();
            }
        }
        throw new IllegalStateException("unreachable: shares sum to " + BUCKETS);
    }
}
