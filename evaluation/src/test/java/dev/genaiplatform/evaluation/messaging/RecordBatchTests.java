package dev.genaiplatform.evaluation.messaging;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.kafka.support.micrometer.KafkaRecordReceiverContext;
import org.springframework.kafka.support.serializer.DeserializationException;
import org.springframework.kafka.support.serializer.SerializationUtils;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A poll's records: the accepted ones before a refused record are stored before the failure names it, so the
 * error handler can commit them, dead-letter it and redeliver the rest; a failed store names the first record.
 */
class RecordBatchTests {

    private final List<List<String>> stores = new ArrayList<>();

    @Test
    void aCleanBatchIsStoredInOneGo() {
        RecordBatch.process(records("a", "b", "c"), this::accept, stores::add);

        assertThat(stores).containsExactly(List.of("a", "b", "c"));
    }

    @Test
    void eachRecordIsObservedWithItselfAsTheCarrierSoItsSpanJoinsTheRecordsTrace() {
        List<ConsumerRecord<?, ?>> observed = new ArrayList<>();
        ObservationRegistry registry = ObservationRegistry.create();
        registry.observationConfig().observationHandler(new ObservationHandler<>() {
            @Override
            public void onStart(Observation.Context context) {
                observed.add(((KafkaRecordReceiverContext) context).getCarrier());
            }

            @Override
            public boolean supportsContext(Observation.Context context) {
                return context instanceof KafkaRecordReceiverContext;
            }
        });
        var records = records("a", "b", "c");

        RecordBatch.process(records, this::accept, stores::add, registry, "evaluation-test");

        assertThat(observed).containsExactlyElementsOf(records);
        assertThat(stores).containsExactly(List.of("a", "b", "c"));
    }

    @Test
    void recordsOfUnsampledTracesAreStoredWithoutAnObservationAndTheOthersWithOne() {
        List<ConsumerRecord<?, ?>> observed = new ArrayList<>();
        ObservationRegistry registry = ObservationRegistry.create();
        registry.observationConfig().observationHandler(new ObservationHandler<>() {
            @Override
            public void onStart(Observation.Context context) {
                observed.add(((KafkaRecordReceiverContext) context).getCarrier());
            }

            @Override
            public boolean supportsContext(Observation.Context context) {
                return context instanceof KafkaRecordReceiverContext;
            }
        });
        var records = records("sampled", "unsampled", "no-context", "malformed", "other-flags");
        traceparent(records.get(0), "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
        traceparent(records.get(1), "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00");
        traceparent(records.get(3), "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331");
        traceparent(records.get(4), "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-02");

        RecordBatch.process(records, this::accept, stores::add, registry, "evaluation-test");

        assertThat(stores).containsExactly(List.of("sampled", "unsampled", "no-context", "malformed", "other-flags"));
        assertThat(observed).containsExactly(records.get(0), records.get(2), records.get(3));
    }

    private static void traceparent(ConsumerRecord<String, String> record, String value) {
        record.headers().add("traceparent", value.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theRecordsBeforeARefusedOneAreStoredAndTheFailureNamesIt() {
        var records = records("a", "b", "bad", "d");

        assertThatThrownBy(() -> RecordBatch.process(records, this::accept, stores::add))
                .isInstanceOfSatisfying(BatchListenerFailedException.class, failure -> {
                    assertThat(failure.getRecord()).isSameAs(records.get(2));
                    assertThat(failure.getCause()).isInstanceOf(InvalidCompletionEventException.class);
                    assertThat(failure.getMessage()).contains("record bad is invalid");
                });
        assertThat(stores).containsExactly(List.of("a", "b"));
    }

    @Test
    void aRefusedFirstRecordStoresNothing() {
        var records = records("bad", "b");

        assertThatThrownBy(() -> RecordBatch.process(records, this::accept, stores::add))
                .isInstanceOfSatisfying(BatchListenerFailedException.class,
                        failure -> assertThat(failure.getRecord()).isSameAs(records.get(0)));
        assertThat(stores).isEmpty();
    }

    @Test
    void aFailedStoreNamesTheFirstRecordSoTheWholeBatchComesBack() {
        var records = records("a", "b");

        assertThatThrownBy(() -> RecordBatch.process(records, this::accept, accepted -> {
            throw new IllegalStateException("database down");
        })).isInstanceOfSatisfying(BatchListenerFailedException.class, failure -> {
            assertThat(failure.getRecord()).isSameAs(records.get(0));
            assertThat(failure.getCause()).hasMessage("database down");
        });
    }

    @Test
    void anUnreadableRecordIsRefusedWithTheDeserializersReason() {
        var unreadable = new ConsumerRecord<String, String>("topic", 0, 1, "key", null);
        SerializationUtils.deserializationException(unreadable.headers(), "{not json".getBytes(StandardCharsets.UTF_8),
                new DeserializationException("Unexpected character", "{not json".getBytes(StandardCharsets.UTF_8),
                        false, new IllegalArgumentException("Unexpected character")), false);
        var records = List.of(record(0, "a"), unreadable);

        assertThatThrownBy(() -> RecordBatch.process(records, this::accept, stores::add))
                .isInstanceOfSatisfying(BatchListenerFailedException.class, failure -> {
                    assertThat(failure.getRecord()).isSameAs(unreadable);
                    assertThat(failure.getMessage()).contains("not readable");
                });
        assertThat(stores).containsExactly(List.of("a"));
    }

    private String accept(ConsumerRecord<String, String> record) {
        if ("bad".equals(record.value())) {
            throw new InvalidCompletionEventException("record bad is invalid", null);
        }
        return record.value();
    }

    private static List<ConsumerRecord<String, String>> records(String... values) {
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            records.add(record(i, values[i]));
        }
        return records;
    }

    private static ConsumerRecord<String, String> record(long offset, String value) {
        return new ConsumerRecord<>("topic", 0, offset, "key", value);
    }
}
