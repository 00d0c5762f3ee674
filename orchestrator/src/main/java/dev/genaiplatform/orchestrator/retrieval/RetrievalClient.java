package dev.genaiplatform.orchestrator.retrieval;

import dev.genaiplatform.contracts.Topics;
import dev.genaiplatform.contracts.retrieval.RetrievedChunk;
import dev.genaiplatform.contracts.retrieval.SearchCommand;
import dev.genaiplatform.contracts.retrieval.SearchResultReply;
import dev.genaiplatform.contracts.retrieval.TextEmbedding;
import dev.genaiplatform.orchestrator.OrchestratorProperties;
import dev.genaiplatform.orchestrator.messaging.CommandTraceContext;
import dev.genaiplatform.orchestrator.messaging.KafkaRequestReply;
import dev.genaiplatform.orchestrator.security.Caller;
import org.springframework.kafka.requestreply.ReplyingKafkaTemplate;
import org.springframework.stereotype.Component;

import java.util.List;

/**
 * Asks the retrieval service for the passages that best match a question, over
 * {@value Topics#RETRIEVAL_SEARCH} and {@value Topics#RETRIEVAL_SEARCH_RESULT}.
 */
@Component
public class RetrievalClient {

    private final KafkaRequestReply<SearchCommand, SearchResultReply> requestReply;
    private final int topK;

    RetrievalClient(ReplyingKafkaTemplate<String, SearchCommand, SearchResultReply> template,
                    OrchestratorProperties properties, CommandTraceContext traceContext) {
        this.requestReply = new KafkaRequestReply<>(template, "retrieval", Topics.RETRIEVAL_SEARCH,
                properties.retrieval().timeout(), traceContext);
        this.topK = properties.retrieval().topK();
    }

    /**
     * Returns at most top-k passages, best first; empty when nothing matched.
     *
     * @param query          the question, already redacted by guardrails
     * @param vectorStoreIds the stores the client named (empty: the tenant's default)
     * @param queryEmbedding the query's embedding if this request already computed it, else null; retrieval uses it
     *                       only when its model and text match, so a wrong one costs time, never a result
     * @param hyde           the request's {@code hyde} field: for or against HyDE; null = the stores' or default
     */
    public List<RetrievedChunk> search(Caller caller, String requestId, String query, List<String> vectorStoreIds,
                                       TextEmbedding queryEmbedding, Boolean hyde) {
        SearchResultReply reply = this.requestReply.ask(caller.token(), caller.tenantId(), requestId,
                new SearchCommand(requestId, query, this.topK, vectorStoreIds, null, null, null, queryEmbedding,
                        hyde));
        return reply.chunks() == null ? List.of() : reply.chunks();
    }
}
