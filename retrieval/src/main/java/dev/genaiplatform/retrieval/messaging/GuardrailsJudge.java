package dev.genaiplatform.retrieval.messaging;

import dev.genaiplatform.contracts.PlatformHeaders;
import dev.genaiplatform.contracts.Topics;
import dev.genaiplatform.contracts.guardrails.JudgePassagesCommand;
import dev.genaiplatform.contracts.guardrails.PassageVerdict;
import dev.genaiplatform.contracts.guardrails.PassagesJudgedReply;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.springframework.kafka.requestreply.ReplyingKafkaTemplate;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Asks guardrails to judge passages as untrusted data over {@value Topics#GUARDRAILS_JUDGE_PASSAGES}, the reply on
 * {@value Topics#GUARDRAILS_PASSAGES_JUDGED}. Empty when guardrails does not answer in time or answers a number
 * of verdicts that does not pair with the texts: the passages then stay unjudged, never judged by guess.
 */
public class GuardrailsJudge implements AutoCloseable {

    private final ReplyingKafkaTemplate<String, JudgePassagesCommand, PassagesJudgedReply> template;
    private final Duration timeout;

    public GuardrailsJudge(ReplyingKafkaTemplate<String, JudgePassagesCommand, PassagesJudgedReply> template,
                           Duration timeout) {
        this.template = template;
        this.timeout = timeout;
    }

    /** Stops the reply consumer. */
    @Override
    public void close() {
        template.stop();
    }

    /**
     * @param key   the record key (the document), so one document's asks stay in order on one partition
     * @param token the uploader's internal token when there is one, so guardrails can record the verdict events
     */
    public Optional<List<PassageVerdict>> judge(String key, JudgePassagesCommand command, String token) {
        var record = new ProducerRecord<String, JudgePassagesCommand>(Topics.GUARDRAILS_JUDGE_PASSAGES, key, command);
        if (token != null) {
            record.headers().add(PlatformHeaders.AUTHORIZATION, token.getBytes(StandardCharsets.UTF_8));
        }
        try {
            PassagesJudgedReply reply = template.sendAndReceive(record, timeout)
                    .get(timeout.toMillis() + 1_000, TimeUnit.MILLISECONDS).value();
            if (reply == null || reply.verdicts().size() != command.texts().size()
                    || reply.verdicts().stream().anyMatch(verdict -> verdict == null || verdict.verdict() == null)) {
                return Optional.empty();
            }
            return Optional.of(reply.verdicts());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (Exception unavailable) {
            return Optional.empty();
        }
    }
}
