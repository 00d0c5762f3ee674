package dev.genaiplatform.tools.documents;

import dev.genaiplatform.contracts.retrieval.SearchResultReply;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.requestreply.CorrelationKey;
import org.springframework.kafka.support.KafkaHeaders;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The reply consumer parses only the replies meant for this process (see {@link RetrievalClient}). */
class RetrievalClientTests {

    private final RetrievalClient.CorrelationIds ids = new RetrievalClient.CorrelationIds(new SecureRandom());
    private final RetrievalClient.CorrelationIds anotherProcess = new RetrievalClient.CorrelationIds(new SecureRandom());
    private final AtomicInteger parsed = new AtomicInteger();
    private final SearchResultReply reply = new SearchResultReply("r-1", List.of(), 0);
    private final Deserializer<SearchResultReply> body = (topic, data) -> {
        parsed.incrementAndGet();
        return reply;
    };
    private final RetrievalClient.OwnRepliesOnly deserializer = new RetrievalClient.OwnRepliesOnly(ids, body);

    @Test
    void eachRequestGetsADistinctIdThatStartsWithThisProcesssPrefix() {
        CorrelationKey first = ids.next();
        CorrelationKey second = ids.next();

        assertThat(first).isNotEqualTo(second);
        assertThat(ids.ours(first.getCorrelationId())).isTrue();
        assertThat(ids.ours(second.getCorrelationId())).isTrue();
        assertThat(anotherProcess.ours(first.getCorrelationId())).isFalse();
    }

    @Test
    void parsesTheBodyOfAReplyToThisProcessWhetherItsIdTravelsAsBytesOrAsHexText() {
        CorrelationKey key = ids.next();

        assertThat(deserializer.deserialize("t", correlation(key.getCorrelationId()), new byte[0])).isSameAs(reply);
        assertThat(deserializer.deserialize("t", correlation(key.toString().getBytes(StandardCharsets.US_ASCII)),
                new byte[0])).isSameAs(reply);
        assertThat(parsed).hasValue(2);
    }

    @Test
    void leavesTheBodyOfAnotherAskersReplyUnparsed() {
        assertThat(deserializer.deserialize("t", correlation(anotherProcess.next().getCorrelationId()), new byte[0]))
                .isNull();
        assertThat(deserializer.deserialize("t", new RecordHeaders(), new byte[0])).as("no correlation id").isNull();
        assertThat(deserializer.deserialize("t", correlation(new byte[3]), new byte[0])).as("a short id").isNull();
        assertThat(parsed).hasValue(0);
    }

    private static RecordHeaders correlation(byte[] value) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(KafkaHeaders.CORRELATION_ID, value);
        return headers;
    }
}
