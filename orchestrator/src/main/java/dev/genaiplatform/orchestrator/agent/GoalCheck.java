package dev.genaiplatform.orchestrator.agent;

import dev.genaiplatform.contracts.guardrails.ChatMessage;
import dev.genaiplatform.contracts.guardrails.CheckInputCommand;
import dev.genaiplatform.contracts.guardrails.InputCheckedReply;
import dev.genaiplatform.contracts.problem.ProblemType;
import dev.genaiplatform.orchestrator.chat.PlatformMetadata;
import dev.genaiplatform.orchestrator.guardrails.GuardrailsClient;
import dev.genaiplatform.orchestrator.messaging.DependencyUnavailableException;
import dev.genaiplatform.orchestrator.security.Caller;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Guardrails see a run's goal and conversation before the run starts, as they see every chat request: a blocked
 * goal is a 400 {@code input_blocked} problem naming the findings (no run, no model call, no tool call), a masked one
 * reaches the model masked. Tool results later in the run are not checked here: tools-agent's injection check and
 * the approval gate stand between them and any side effect.
 */
final class GoalCheck {

    private final GuardrailsClient guardrails;

    GoalCheck(GuardrailsClient guardrails) {
        this.guardrails = guardrails;
    }

    /**
     * The conversation and goal as the model may see them (the goal last). {@code vaultId} (the run id) names the
     * pseudonym vault: under a pseudonymising policy the pseudonyms are stable for the run and restorable.
     */
    List<ChatMessage> check(Caller caller, List<ChatMessage> conversation, String goal, String vaultId) {
        List<ChatMessage> messages = new ArrayList<>(conversation);
        messages.add(new ChatMessage("user", goal));
        String requestId = "agent-run-check-" + UUID.randomUUID();
        InputCheckedReply reply;
        try {
            reply = this.guardrails.check(caller, requestId, new CheckInputCommand(requestId, messages, null,
                    null, null, null, null, vaultId));
        }
        catch (DependencyUnavailableException unavailable) {
            throw new AgentException(ProblemType.DEPENDENCY_UNAVAILABLE,
                    "The guardrails service did not answer in time. Retry shortly.", null);
        }
        return switch (reply.verdict()) {
            case BLOCKED -> throw new AgentException(ProblemType.INPUT_BLOCKED,
                    reply.reason() != null ? reply.reason() : "The goal was blocked by the platform's guardrails.",
                    "goal", Map.of("findings", PlatformMetadata.FindingTrace.of(reply.findings(), reply.verdict())));
            case ALLOWED -> reply.messages() != null && reply.messages().size() == messages.size()
                    ? reply.messages() : messages;
            // masked text only, never the original: a reply without it fails closed
            case REDACTED -> {
                if (reply.messages() == null || reply.messages().size() != messages.size()) {
                    throw new AgentException(ProblemType.DEPENDENCY_UNAVAILABLE,
                            "The guardrails service sent an unusable verdict. Retry shortly.", null);
                }
                yield reply.messages();
            }
            case null -> throw new AgentException(ProblemType.DEPENDENCY_UNAVAILABLE,
                    "The guardrails service sent no verdict. Retry shortly.", null);
        };
    }
}
