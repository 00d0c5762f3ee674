package dev.genaiplatform.orchestrator.messaging;

import org.springframework.kafka.requestreply.CorrelationKey;

/** Opens {@link ReplyChannels}' package-private pieces to benchmarks in other packages. */
public final class ReplyChannelsAccess {

    private ReplyChannelsAccess() {
    }

    public static CorrelationKey randomCorrelation() {
        return ReplyChannels.randomCorrelation();
    }
}
