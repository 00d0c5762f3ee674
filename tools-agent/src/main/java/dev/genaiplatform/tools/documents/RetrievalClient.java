package dev.genaiplatform.tools.documents;

import dev.genaiplatform.contracts.Topics;
import dev.genaiplatform.contracts.retrieval.SearchCommand;
import dev.genaiplatform.contracts.retrieval.SearchResultReply;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.requestreply.CorrelationKey;
import org.springframework.kafka.requestreply.ReplyingKafkaTemplate;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.kafka.support.serializer.JacksonJsonDeserializer;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The request/reply client {@code search_documents} asks retrieval with. Its searches name this service's own reply
 * topic, {@value Topics#TOOLS_AGENT_SEARCH_RESULT_REPLIES}, in {@code kafka_replyTopic}, and retrieval answers each
 * asker where it says. Until wave 14 tools-agent listened on the orchestrator's {@code retrieval.search-result.v1}
 * and so read one foreign reply per plain chat request: 0.5 ms of CPU per chat request in this service plus the
 * broker's fetches, on a warm platform, for nothing (README "Wave 14").
 *
 * <p>Every instance reads every reply on its topic (its group is its own, a random suffix, so none misses its own
 * reply, which a shared group would split between instances). With several instances a reply to another instance is
 * still foreign, so the reply consumer keeps doing as little as it can with one:
 *
 * <ul>
 *   <li>a foreign reply's body is not parsed: every correlation id this process sends starts with an 8-byte prefix
 *       of its own, and the deserializer parses only bodies whose correlation header carries it (a foreign reply
 *       becomes a null value the template drops);</li>
 *   <li>a foreign reply is expected, not an error: the template is told the topic is shared, so it does not log an
 *       ERROR line for each one;</li>
 *   <li>no offset commits and no observation per reply (as the orchestrator's reply consumers): the group is this
 *       process's own and starts at the end of the topic, so a committed offset would never be read, and a reply
 *       continues no trace (the waiting tool call has its span).</li>
 * </ul>
 */
public final class RetrievalClient {

    private RetrievalClient() {
    }

    /**
     * @param consumerConfig the application's consumer properties (bootstrap servers, security); the group, offsets
     *                       and deserializers are set here
     */
    public static ReplyingKafkaTemplate<String, SearchCommand, SearchResultReply> create(
            ProducerFactory<String, SearchCommand> producers, Map<String, Object> consumerConfig) {
        CorrelationIds ids = new CorrelationIds(new SecureRandom());
        Map<String, Object> config = new LinkedHashMap<>(consumerConfig);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "tools-agent-retrieval-replies-" + UUID.randomUUID());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        var consumers = new DefaultKafkaConsumerFactory<>(config, new StringDeserializer(),
                new OwnRepliesOnly(ids, new JacksonJsonDeserializer<>(SearchResultReply.class).ignoreTypeHeaders()));
        // the only topic of the reply container, so the template names it in every command's kafka_replyTopic
        ContainerProperties properties = new ContainerProperties(Topics.TOOLS_AGENT_SEARCH_RESULT_REPLIES);
        properties.setAckMode(ContainerProperties.AckMode.MANUAL);   // never acknowledged: nothing is committed
        properties.setObservationEnabled(false);
        var replies = new ConcurrentMessageListenerContainer<>(consumers, properties);
        replies.setBeanName("tools-agent-retrieval-replies");
        ReplyingKafkaTemplate<String, SearchCommand, SearchResultReply> template = new ReplyingKafkaTemplate<>(producers, replies);
        template.setCorrelationIdStrategy(record -> ids.next());
        template.setSharedReplyTopic(true);   // other instances' replies arrive here too: expected, not an error
        return template;
    }

    /** Correlation ids of this process: a random 8-byte prefix, then a counter. */
    static final class CorrelationIds {

        private final byte[] prefix = new byte[8];
        /**
         * The prefix as it appears when the header carries the id as text instead of bytes: the start of the key's
         * own text form (UUID-like hex, {@code 010203ab-0506-0708-...}), whose first 18 characters are the 8 bytes.
         */
        private final byte[] hexPrefix;
        private final AtomicLong counter = new AtomicLong();

        CorrelationIds(SecureRandom random) {
            random.nextBytes(prefix);
            String text = new CorrelationKey(Arrays.copyOf(prefix, 16)).toString();
            hexPrefix = text.substring(0, 18).getBytes(StandardCharsets.US_ASCII);
        }

        CorrelationKey next() {
            return new CorrelationKey(ByteBuffer.allocate(16).put(prefix).putLong(counter.incrementAndGet()).array());
        }

        /** Whether a reply's correlation header names one of this process's requests. */
        boolean ours(byte[] header) {
            return header != null && (startsWith(header, prefix) || startsWith(header, hexPrefix));
        }

        private static boolean startsWith(byte[] value, byte[] start) {
            return value.length >= start.length && Arrays.equals(value, 0, start.length, start, 0, start.length);
        }
    }

    /** Parses a reply's body only when it answers this process; any other becomes null, which the template drops. */
    static final class OwnRepliesOnly implements Deserializer<SearchResultReply> {

        private final CorrelationIds ids;
        private final Deserializer<SearchResultReply> body;

        OwnRepliesOnly(CorrelationIds ids, Deserializer<SearchResultReply> body) {
            this.ids = ids;
            this.body = body;
        }

        @Override
        public void configure(Map<String, ?> configs, boolean isKey) {
            body.configure(configs, isKey);
        }

        @Override
        public SearchResultReply deserialize(String topic, byte[] data) {
            return body.deserialize(topic, data);
        }

        @Override
        public SearchResultReply deserialize(String topic, Headers headers, byte[] data) {
            Header correlation = headers.lastHeader(KafkaHeaders.CORRELATION_ID);
            return ids.ours(correlation == null ? null : correlation.value()) ? body.deserialize(topic, headers, data) : null;
        }

        @Override
        public void close() {
            body.close();
        }
    }
}
