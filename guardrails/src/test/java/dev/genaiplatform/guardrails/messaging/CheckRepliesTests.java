package dev.genaiplatform.guardrails.messaging;

import org.junit.jupiter.api.Test;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.messaging.MessageHeaders;

import java.nio.ByteBuffer;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class CheckRepliesTests {

    @Test
    void answersOnThePartitionTheAskerNamed() {
        byte[] seven = ByteBuffer.allocate(Integer.BYTES).putInt(7).array();

        assertThat(CheckReplies.replyPartition(new MessageHeaders(Map.of(KafkaHeaders.REPLY_PARTITION, seven))))
                .isEqualTo(7);
    }

    @Test
    void leavesThePartitionToTheKeyWhenTheHeaderIsMissingOrMalformed() {
        // a header that is not a 4-byte int must not fail the listener: the reply still goes out, keyed as the request
        assertThat(CheckReplies.replyPartition(new MessageHeaders(Map.of()))).isNull();
        assertThat(CheckReplies.replyPartition(new MessageHeaders(Map.of(KafkaHeaders.REPLY_PARTITION, new byte[]{0, 1}))))
                .isNull();
        assertThat(CheckReplies.replyPartition(new MessageHeaders(Map.of(KafkaHeaders.REPLY_PARTITION, new byte[8]))))
                .isNull();
    }
}
