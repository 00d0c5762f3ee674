package dev.genaiplatform.evaluation.messaging;

import dev.genaiplatform.contracts.PlatformHeaders;
import dev.genaiplatform.contracts.Topics;
import dev.genaiplatform.contracts.chat.ChatCompletionRecordedEvent;
import dev.genaiplatform.evaluation.aggregates.CompletionAggregator;
import dev.genaiplatform.evaluation.aggregates.CompletionEvents;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class CompletionEventListenerTests {

    private final CompletionAggregator aggregator =
            new CompletionAggregator(100, Duration.ofMinutes(10), new SimpleMeterRegistry());
    private final CompletionEventListener listener = new CompletionEventListener(aggregator);

    @Test
    void countsAnEventWhoseTenantHeaderMatchesItsBody() {
        listener.onCompletionRecorded(record(CompletionEvents.answered("acme", "sim-small").build(), "acme"));

        assertThat(aggregator.snapshotsOf("acme", null)).hasSize(1);
    }

    @Test
    void countsAnEventWithoutTenantHeaderUnderTheTenantOfItsBody() {
        listener.onCompletionRecorded(record(CompletionEvents.answered("acme", "sim-small").build(), null));

        assertThat(aggregator.snapshotsOf("acme", null)).hasSize(1);
    }

    @Test
    void rejectsAnEventWhoseTenantHeaderContradictsItsBody() {
        var record = record(CompletionEvents.answered("acme", "sim-small").build(), "globex");

        assertThatIllegalArgumentException().isThrownBy(() -> listener.onCompletionRecorded(record))
                .withMessageContaining("globex");
        assertThat(aggregator.snapshotsOf("acme", null)).isEmpty();
        assertThat(aggregator.snapshotsOf("globex", null)).isEmpty();
    }

    @Test
    void rejectsARecordWithoutValue() {
        assertThatIllegalArgumentException().isThrownBy(() -> listener.onCompletionRecorded(record(null, "acme")));
    }

    private static ConsumerRecord<String, ChatCompletionRecordedEvent> record(ChatCompletionRecordedEvent event,
                                                                              String tenantHeader) {
        var record = new ConsumerRecord<>(Topics.CHAT_COMPLETION_RECORDED, 0, 0L, "acme", event);
        if (tenantHeader != null) {
            record.headers().add(PlatformHeaders.TENANT_ID, tenantHeader.getBytes(StandardCharsets.UTF_8));
        }
        return record;
    }
}
