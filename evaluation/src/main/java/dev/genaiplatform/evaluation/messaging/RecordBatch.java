package dev.genaiplatform.evaluation.messaging;

import io.micrometer.observation.ObservationRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.springframework.core.log.LogAccessor;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.kafka.support.micrometer.KafkaListenerObservation;
import org.springframework.kafka.support.micrometer.KafkaRecordReceiverContext;
import org.springframework.kafka.support.serializer.DeserializationException;
import org.springframework.kafka.support.serializer.SerializationUtils;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What one poll of a topic becomes: every record checked in order, the accepted ones stored in one statement.
 *
 * <p>The guarantees of the record-at-a-time listener it replaced are kept, with the error handler's help. When a
 * record must not be acted on (no valid token, unreadable, invalid) or cannot be checked now (the gateway's keys
 * are unreachable), the records before it are stored first and the failure names it
 * ({@link BatchListenerFailedException}): the error handler commits the offsets before it, dead-letters it (or, for
 * a transient fault, retries it with back-off) and redelivers the rest. When storing fails (the database is down),
 * the failure names the batch's first record, so nothing of the batch is committed and all of it comes back; the
 * event-id key drops whatever had been stored already. Offsets are committed after the rows (ack mode {@code batch}).
 *
 * <p>Spring Kafka observes only record-at-a-time listeners, so each record's check is observed here: its span continues
 * the trace the record's {@code traceparent} header carries, and the request's one trace still reaches evaluation.
 * A record whose {@code traceparent} says its trace is not sampled (the gateway samples 10 % by default) is not
 * observed: its span would never be exported, and the observation (context, propagation, span, scope, timer) cost
 * about a third of what storing the record costs here. Records without trace context are observed, and this
 * service's own sampler decides. So the listener timer ({@code spring.kafka.listener}) counts observed records
 * only; the events themselves are counted by the store's meters.
 */
final class RecordBatch {

    private static final LogAccessor LOG = new LogAccessor(RecordBatch.class);
    private static final String TRACEPARENT = "traceparent";

    private RecordBatch() {
    }

    /**
     * @param accept     verifies and validates one record, returning what to store
     * @param storeAll   stores the accepted ones, in order, in one go
     */
    static <V, T> void process(List<ConsumerRecord<String, V>> records, Function<ConsumerRecord<String, V>, T> accept,
                               Consumer<List<T>> storeAll) {
        process(records, accept, storeAll, ObservationRegistry.NOOP, "evaluation");
    }

    /** The same, each record's check observed as a Kafka "process" span in the record's own trace. */
    static <V, T> void process(List<ConsumerRecord<String, V>> records, Function<ConsumerRecord<String, V>, T> accept,
                               Consumer<List<T>> storeAll, ObservationRegistry observations, String listenerId) {
        List<T> accepted = new ArrayList<>(records.size());
        for (ConsumerRecord<String, V> record : records) {
            T one;
            try {
                requireReadable(record);
                one = observed(record, observations, listenerId, () -> accept.apply(record));
            } catch (RuntimeException refused) {
                store(records, accepted, storeAll);
                throw new BatchListenerFailedException(refused.getMessage(), refused, record);
            }
            accepted.add(one);
        }
        store(records, accepted, storeAll);
    }

    private static <T> T observed(ConsumerRecord<String, ?> record, ObservationRegistry observations, String listenerId,
                                  Supplier<T> work) {
        if (observations.isNoop() || unsampled(record)) {
            return work.get();
        }
        return KafkaListenerObservation.LISTENER_OBSERVATION.observation(null,
                KafkaListenerObservation.DefaultKafkaListenerObservationConvention.INSTANCE,
                () -> new KafkaRecordReceiverContext(record, listenerId, null, "evaluation", () -> null), observations)
                .observe(work);
    }

    /**
     * Whether the record's W3C {@code traceparent} ({@code 00-<trace id>-<parent id>-<flags>}) has the sampled flag
     * off. False without the header or when it is malformed (then the record is observed, as before).
     */
    static boolean unsampled(ConsumerRecord<?, ?> record) {
        Header header = record.headers().lastHeader(TRACEPARENT);
        byte[] value = header == null ? null : header.value();
        if (value == null || value.length < 55 || value[2] != '-' || value[35] != '-' || value[52] != '-') {
            return false;
        }
        int flags = Character.digit(value[54], 16);
        return flags >= 0 && Character.digit(value[53], 16) >= 0 && (flags & 1) == 0;
    }

    /** A record the deserializer could not read arrives with a null value and the reason in a header. */
    private static void requireReadable(ConsumerRecord<String, ?> record) {
        if (record.value() != null) {
            return;
        }
        DeserializationException unreadable = SerializationUtils.getExceptionFromHeader(record,
                SerializationUtils.VALUE_DESERIALIZER_EXCEPTION_HEADER, LOG);
        if (unreadable != null) {
            throw new InvalidCompletionEventException("the record is not readable: " + unreadable.getMessage(),
                    unreadable);
        }
    }

    private static <V, T> void store(List<ConsumerRecord<String, V>> records, List<T> accepted,
                                     Consumer<List<T>> storeAll) {
        if (accepted.isEmpty()) {
            return;
        }
        try {
            storeAll.accept(accepted);
        } catch (RuntimeException failed) {
            throw new BatchListenerFailedException("storing " + accepted.size() + " events failed: "
                    + failed.getMessage(), failed, records.getFirst());
        }
    }
}
