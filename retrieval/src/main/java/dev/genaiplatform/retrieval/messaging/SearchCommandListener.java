package dev.genaiplatform.retrieval.messaging;

import dev.genaiplatform.contracts.PlatformHeaders;
import dev.genaiplatform.contracts.Topics;
import dev.genaiplatform.contracts.retrieval.SearchCommand;
import dev.genaiplatform.contracts.retrieval.SearchResultReply;
import dev.genaiplatform.retrieval.ingest.CorpusIndexedEvent;
import dev.genaiplatform.retrieval.RetrievalProperties;
import dev.genaiplatform.retrieval.search.ChunkSearch;
import dev.genaiplatform.retrieval.search.SearchScope;
import dev.genaiplatform.retrieval.search.SearchScopes;
import dev.genaiplatform.retrieval.security.Caller;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.context.event.EventListener;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.config.ContainerPostProcessor;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.AbstractMessageListenerContainer;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.messaging.handler.annotation.SendTo;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The service's only subscription: {@link SearchCommand}s from the orchestrator, answered with a
 * {@link SearchResultReply} on the topic named by the request's {@code kafka_replyTopic} header (Spring copies
 * the correlation id). A blank query or an odd topK still gets a (possibly empty) reply, so the asker never
 * waits for a timeout; a record that cannot be read at all (not JSON, null, no reply topic) or whose
 * {@code platform-auth} token is missing or fails verification goes to {@code retrieval.search.v1.dlt}, never
 * answered. The tenant, user and groups come from that verified token only; stores named in the command that the
 * tenant cannot read are ignored (an empty list means the tenant's default stores). {@code rewrite} and {@code hyde}
 * left null fall back to the searched stores' metadata and then the service default, exactly as on HTTP.
 *
 * <p>The container does not start with the context but once the corpus is indexed, so no request is answered
 * from a half-built index; commands sent earlier simply wait in the topic.
 */
@Component
class SearchCommandListener {

    static final String LISTENER_ID = "retrieval-search";
    /** More hops are clamped (a command is always answered, never refused). */
    private static final int MAX_HOPS = 3;

    private static final Logger log = LoggerFactory.getLogger(SearchCommandListener.class);

    private final ChunkSearch search;
    private final SearchScopes scopes;
    private final JwtDecoder tokens;
    private final KafkaListenerEndpointRegistry registry;
    private final boolean rewriteByDefault;
    private final boolean hydeByDefault;

    SearchCommandListener(ChunkSearch search, SearchScopes scopes, JwtDecoder tokens, KafkaListenerEndpointRegistry registry,
                          RetrievalProperties properties) {
        this.rewriteByDefault = properties.rewrite().enabledByDefault();
        this.hydeByDefault = properties.hyde().enabledByDefault();
        this.search = search;
        this.scopes = scopes;
        this.tokens = tokens;
        this.registry = registry;
    }

    @KafkaListener(id = LISTENER_ID, idIsGroup = false, autoStartup = "false", topics = Topics.RETRIEVAL_SEARCH,
            containerPostProcessor = TimedCommits.BEAN)
    @SendTo
    SearchResultReply onSearch(ConsumerRecord<String, SearchCommand> record) {
        try (var tenant = MDC.putCloseable("tenantId", header(record, PlatformHeaders.TENANT_ID));
             var request = MDC.putCloseable("requestId", header(record, PlatformHeaders.REQUEST_ID))) {
            SearchCommand command = record.value();
            if (command == null) {
                throw new IllegalArgumentException("Empty search command at " + record.topic() + "-"
                        + record.partition() + "@" + record.offset());
            }
            Caller caller = TokenHeaders.verify(record, tokens);
            MDC.put("tenantId", caller.tenant());
            SearchScopes.Resolved resolved = scopes.lenientWithDefaults(caller, command.vectorStoreIds(), rewriteByDefault, hydeByDefault);
            SearchScope scope = resolved.scope();
            int hops = command.hops() == null || command.hops() < 1 ? 1 : Math.min(command.hops(), MAX_HOPS);
            ChunkSearch.Result result = scope == null ? new ChunkSearch.Result(java.util.List.of(), command.topK(), 0)
                    : search.search(scope, command.query(), command.topK(), null, hops,
                    command.rewrite() != null ? command.rewrite() : resolved.rewrite(), command.conversation(),
                    command.hyde() != null ? command.hyde() : resolved.hyde(), command.queryEmbedding());
            log.debug("search {} topK={} (asked {}) -> {} chunks in {} ms", command.requestId(), result.topK(),
                    command.topK(), result.chunks().size(), result.tookMillis());
            return new SearchResultReply(command.requestId(), result.chunks(), result.tookMillis(), result.queries(),
                    result.rewrittenBy());
        }
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
