package dev.genaiplatform.retrieval.messaging;

import dev.genaiplatform.contracts.PlatformHeaders;
import dev.genaiplatform.contracts.Topics;
import dev.genaiplatform.contracts.retrieval.SearchCommand;
import dev.genaiplatform.contracts.retrieval.SearchResultReply;
import dev.genaiplatform.retrieval.RetrievalProperties;
import dev.genaiplatform.retrieval.ingest.CorpusIndexedEvent;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.context.event.EventListener;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.config.ContainerPostProcessor;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.AbstractMessageListenerContainer;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.stereotype.Component;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The service's only subscription: {@link SearchCommand}s from the orchestrator, answered ({@link SearchAnswers}) with a
 * {@link SearchResultReply} on the topic named by the request's {@code kafka_replyTopic} header, with the request's
 * correlation id and key. A blank query or an odd topK still gets a (possibly empty) reply, so the asker never waits
 * for a timeout; a record that cannot be read at all (not JSON, null, no reply topic) or whose {@code platform-auth}
 * token is missing or fails verification goes to {@code retrieval.search.v1.dlt}, never answered.
 *
 * <p>The reply is a plain {@link KafkaTemplate#send(ProducerRecord)}, not {@code @SendTo}: the same record Spring's
 * reply path built (topic and partition from the request's reply headers, its correlation id and key, the same
 * template, so the same serializer, observation and trace context), without evaluating a reply-topic expression and
 * converting the answer to a {@code Message} and back on every search (Wave 9: README, Speed).
 *
 * <p>The container does not start with the context but once the corpus is indexed, so no request is answered
 * from a half-built index; commands sent earlier simply wait in the topic.
 */
@Component
class SearchCommandListener {

    static final String LISTENER_ID = "retrieval-search";

    private static final Logger log = LoggerFactory.getLogger(SearchCommandListener.class);

    private final SearchAnswers answers;
    private final KafkaTemplate<Object, Object> replies;
    private final KafkaListenerEndpointRegistry registry;

    SearchCommandListener(SearchAnswers answers, KafkaTemplate<Object, Object> replies, KafkaListenerEndpointRegistry registry) {
        this.answers = answers;
        this.replies = replies;
        this.registry = registry;
    }

    @KafkaListener(id = LISTENER_ID, idIsGroup = false, autoStartup = "false", topics = Topics.RETRIEVAL_SEARCH,
            containerPostProcessor = TimedCommits.BEAN)
    void onSearch(ConsumerRecord<String, SearchCommand> record) {
        try (var tenant = MDC.putCloseable("tenantId", header(record, PlatformHeaders.TENANT_ID));
             var request = MDC.putCloseable("requestId", header(record, PlatformHeaders.REQUEST_ID))) {
            String replyTopic = header(record, KafkaHeaders.REPLY_TOPIC);
            if (replyTopic == null || replyTopic.isBlank()) {
                throw new IllegalArgumentException("No " + KafkaHeaders.REPLY_TOPIC + " header: nowhere to answer "
                        + record.topic() + "-" + record.partition() + "@" + record.offset());
            }
            replies.send(reply(record, replyTopic, answers.answer(record)));
        }
    }

    /** The reply record Spring's {@code @SendTo} path would build for this request. */
    static ProducerRecord<Object, Object> reply(ConsumerRecord<String, ?> request, String replyTopic, SearchResultReply answer) {
        Header partition = request.headers().lastHeader(KafkaHeaders.REPLY_PARTITION);
        Integer replyPartition = partition == null || partition.value() == null || partition.value().length != Integer.BYTES
                ? null : ByteBuffer.wrap(partition.value()).getInt();
        var reply = new ProducerRecord<Object, Object>(replyTopic, replyPartition, request.key(), answer);
        Header correlation = request.headers().lastHeader(KafkaHeaders.CORRELATION_ID);
        if (correlation != null) {
            reply.headers().add(KafkaHeaders.CORRELATION_ID, correlation.value());
        }
        return reply;
    }

    @EventListener
    void startOnceIndexed(CorpusIndexedEvent indexed) {
        var container = registry.getListenerContainer(LISTENER_ID);
        if (container != null && !container.isRunning()) {
            container.start();
            log.info("Answering {} now that {} chunks are indexed", Topics.RETRIEVAL_SEARCH, indexed.chunks());
        }
    }

    /**
     * Commits the search listener's offsets every {@code search-commit-interval} instead of after every poll (issue 13:
     * at a search every few milliseconds each poll returns one record, so Spring's default commits once per search, an
     * OffsetCommit round trip the broker pays for). Why that is safe here: a search is a request/reply command with no
     * effect but its reply, and its asker times out long before a restarted service could answer a replayed one; a
     * replay costs a few wasted searches whose replies nobody awaits. Ingestion keeps its commit per poll: it promises
     * at-least-once processing of durable work.
     */
    @Component(TimedCommits.BEAN)
    static final class TimedCommits implements ContainerPostProcessor<Object, Object, AbstractMessageListenerContainer<Object, Object>> {
        static final String BEAN = "searchListenerTimedCommits";
        private final Duration interval;

        TimedCommits(RetrievalProperties properties) {
            this.interval = properties.searchCommitInterval();
        }

        @Override
        public void postProcess(AbstractMessageListenerContainer<Object, Object> container) {
            if (!interval.isZero()) {
                container.getContainerProperties().setAckMode(ContainerProperties.AckMode.TIME);
                container.getContainerProperties().setAckTime(interval.toMillis());
            }
        }
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
