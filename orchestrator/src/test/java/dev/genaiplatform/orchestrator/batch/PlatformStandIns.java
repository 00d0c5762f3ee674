package dev.genaiplatform.orchestrator.batch;

import dev.genaiplatform.contracts.PlatformHeaders;
import dev.genaiplatform.contracts.Topics;
import dev.genaiplatform.contracts.guardrails.CheckInputCommand;
import dev.genaiplatform.contracts.guardrails.CheckOutputCommand;
import dev.genaiplatform.contracts.guardrails.InputCheckedReply;
import dev.genaiplatform.contracts.guardrails.OutputCheckedReply;
import dev.genaiplatform.contracts.guardrails.Verdict;
import dev.genaiplatform.contracts.retrieval.RetrievedChunk;
import dev.genaiplatform.contracts.retrieval.SearchCommand;
import dev.genaiplatform.contracts.retrieval.SearchResultReply;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.messaging.handler.annotation.SendTo;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Guardrails and retrieval on the broker, as simple as their contracts allow: every input and output is allowed
 * unchanged, every search finds one passage. They record the token each check carried, so a test can see which token
 * a batch line acted with.
 */
@TestConfiguration
class PlatformStandIns {

    final Queue<String> inputCheckTokens = new ConcurrentLinkedQueue<>();
    final Queue<String> checkedQuestions = new ConcurrentLinkedQueue<>();

    @KafkaListener(topics = Topics.GUARDRAILS_CHECK_INPUT, groupId = "batch-fake-guardrails")
    @SendTo
    InputCheckedReply checkInput(CheckInputCommand command,
                                 @Header(name = PlatformHeaders.AUTHORIZATION, required = false) byte[] auth) {
        this.inputCheckTokens.add(auth == null ? "" : new String(auth, StandardCharsets.UTF_8));
        this.checkedQuestions.add(command.messages().getLast().content());
        return new InputCheckedReply(command.requestId(), Verdict.ALLOWED, command.messages(), List.of(), null);
    }

    @KafkaListener(topics = Topics.GUARDRAILS_CHECK_OUTPUT, groupId = "batch-fake-guardrails-output")
    @SendTo
    OutputCheckedReply checkOutput(CheckOutputCommand command) {
        if (command.texts() != null) {   // a search's passages, checked in one round trip
            return new OutputCheckedReply(command.requestId(), command.source(), Verdict.ALLOWED, null, List.of(), null,
                    null, command.texts().stream().map(text -> new OutputCheckedReply(command.requestId(),
                    command.source(), Verdict.ALLOWED, text, List.of(), null, null)).toList());
        }
        return new OutputCheckedReply(command.requestId(), command.source(), Verdict.ALLOWED, command.text(), List.of(),
                null, null);
    }

    @KafkaListener(topics = Topics.RETRIEVAL_SEARCH, groupId = "batch-fake-retrieval")
    @SendTo
    SearchResultReply search(SearchCommand command) {
        return new SearchResultReply(command.requestId(), List.of(
                new RetrievedChunk("architecture.md#3", "architecture.md", "Architecture > Retrieval", 1204, 1890,
                        "Retrieval fuses BM25 and vector rankings with reciprocal rank fusion.", 0.0325),
                new RetrievedChunk("rag.md#1", "rag.md", "RAG > Chunking", 0, 412,
                        "Chunks keep the heading path of their section.", 0.0310)), 2);
    }
}
