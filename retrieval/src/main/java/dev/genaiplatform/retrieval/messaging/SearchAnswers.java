package dev.genaiplatform.retrieval.messaging;

import dev.genaiplatform.contracts.retrieval.SearchCommand;
import dev.genaiplatform.contracts.retrieval.SearchResultReply;
import dev.genaiplatform.retrieval.RetrievalProperties;
import dev.genaiplatform.retrieval.search.ChunkSearch;
import dev.genaiplatform.retrieval.search.SearchScope;
import dev.genaiplatform.retrieval.search.SearchScopes;
import dev.genaiplatform.retrieval.security.Caller;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.stereotype.Component;

import java.util.List;

/**
 * What a {@link SearchCommand} record is answered with, apart from how the answer travels: the record's token is
 * verified, the tenant, user and groups come from it alone, stores the tenant cannot read are dropped, and {@code
 * rewrite} and {@code hyde} left null fall back to the stores' metadata and then the service default, as on HTTP.
 * Not final: {@code KafkaSearchCostBenchmark} times it through a proxy.
 */
@Component
class SearchAnswers {

    /** More hops are clamped (a command is always answered, never refused). */
    private static final int MAX_HOPS = 3;

    private static final Logger log = LoggerFactory.getLogger(SearchAnswers.class);

    private final ChunkSearch search;
    private final SearchScopes scopes;
    private final JwtDecoder tokens;
    private final boolean rewriteByDefault;
    private final boolean hydeByDefault;

    SearchAnswers(ChunkSearch search, SearchScopes scopes, JwtDecoder tokens, RetrievalProperties properties) {
        this.search = search;
        this.scopes = scopes;
        this.tokens = tokens;
        this.rewriteByDefault = properties.rewrite().enabledByDefault();
        this.hydeByDefault = properties.hyde().enabledByDefault();
    }

    /**
     * @throws TokenHeaders.InvalidRecordTokenException without a valid {@code platform-auth} token
     * @throws IllegalArgumentException for a record without a command
     */
    SearchResultReply answer(ConsumerRecord<String, SearchCommand> record) {
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
        ChunkSearch.Result result = scope == null ? new ChunkSearch.Result(List.of(), command.topK(), 0)
                : search.search(scope, command.query(), command.topK(), null, hops,
                command.rewrite() != null ? command.rewrite() : resolved.rewrite(), command.conversation(),
                command.hyde() != null ? command.hyde() : resolved.hyde(), command.queryEmbedding());
        log.debug("search {} topK={} (asked {}) -> {} chunks in {} ms", command.requestId(), result.topK(),
                command.topK(), result.chunks().size(), result.tookMillis());
        return new SearchResultReply(command.requestId(), result.chunks(), result.tookMillis(), result.queries(),
                result.rewrittenBy());
    }
}
