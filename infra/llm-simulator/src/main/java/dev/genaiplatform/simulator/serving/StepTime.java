package dev.genaiplatform.simulator.serving;

import dev.genaiplatform.simulator.model.ModelProfile;

import java.time.Duration;

/**
 * How long one scheduler step takes. A step runs one forward pass over the whole batch: every running
 * sequence gets one more token, and the sequences admitted at the start of the step have their prompts
 * read (prefilled) in the same pass, which gives them their first token. So
 * <pre>
 *   step = decode-step + decode-step-per-sequence * (batch size - 1)
 *        + prompt tokens admitted in this step / prefill-tokens-per-second
 * </pre>
 * A profile's {@code inter-token-delay} replaces the decode part and its {@code time-to-first-token} the
 * prefill part, when set: that is how {@code SIM_INTER_TOKEN_MS=0} and {@code SIM_TIME_TO_FIRST_TOKEN_MS=0}
 * make a model instant for tests.
 */
final class StepTime {

    private final long decodeStepNanos;
    private final long perSequenceNanos;
    private final double prefillNanosPerToken;
    private final Long decodeOverrideNanos;
    private final Long prefillOverrideNanos;

    StepTime(ModelProfile profile) {
        ModelProfile.Serving serving = profile.serving();
        this.decodeStepNanos = serving.decodeStep().toNanos();
        this.perSequenceNanos = serving.decodeStepPerSequence().toNanos();
        this.prefillNanosPerToken = 1e9 / serving.prefillTokensPerSecond();
        this.decodeOverrideNanos = nanosOrNull(profile.interTokenDelay());
        this.prefillOverrideNanos = nanosOrNull(profile.timeToFirstToken());
    }

    /** A step over {@code batchSize} sequences, of which the new ones bring {@code prefillTokens} prompt tokens. */
    long nanos(int batchSize, int prefillTokens) {
        long decode = decodeOverrideNanos != null
                ? decodeOverrideNanos
                : decodeStepNanos + perSequenceNanos * Math.max(0, batchSize - 1);
        long prefill = prefillTokens == 0 ? 0
                : prefillOverrideNanos != null ? prefillOverrideNanos
                : Math.round(prefillTokens * prefillNanosPerToken);
        return decode + prefill;
    }

    private static Long nanosOrNull(Duration duration) {
        return duration == null ? null : duration.toNanos();
    }
}
