package dev.genaiplatform.orchestrator.guardrails;

import dev.genaiplatform.contracts.Topics;
import dev.genaiplatform.contracts.guardrails.CheckInputCommand;
import dev.genaiplatform.contracts.guardrails.InputCheckedReply;
import dev.genaiplatform.orchestrator.OrchestratorProperties;
import dev.genaiplatform.orchestrator.messaging.CommandTraceContext;
import dev.genaiplatform.orchestrator.messaging.KafkaRequestReply;
import dev.genaiplatform.orchestrator.security.Caller;
import org.springframework.kafka.requestreply.ReplyingKafkaTemplate;
import org.springframework.stereotype.Component;


/**
 * Asks the guardrails service whether a conversation may reach a model, over
 * {@value Topics#GUARDRAILS_CHECK_INPUT} and {@value Topics#GUARDRAILS_INPUT_CHECKED}.
 *
 * <p>The check runs before anything else, so that sensitive text is masked before it is searched for,
 * logged, or sent to a model provider.
 */
@Component
public class GuardrailsClient {

    private final KafkaRequestReply<CheckInputCommand, InputCheckedReply> requestReply;

    GuardrailsClient(ReplyingKafkaTemplate<String, CheckInputCommand, InputCheckedReply> template,
                     OrchestratorProperties properties, CommandTraceContext traceContext) {
        this.requestReply = new KafkaRequestReply<>(template, "guardrails", Topics.GUARDRAILS_CHECK_INPUT,
                properties.guardrails().timeout(), traceContext);
    }

    /**
     * Returns the verdict on everything the model will read (messages, tool calls, tools, schema, stop, user);
     * throws {@code DependencyUnavailableException} when guardrails does not answer.
     */
    public InputCheckedReply check(Caller caller, String requestId, CheckInputCommand command) {
        return this.requestReply.ask(caller.token(), caller.tenantId(), requestId, command);
    }
}
