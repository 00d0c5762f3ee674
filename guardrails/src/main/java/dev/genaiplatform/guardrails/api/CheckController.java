package dev.genaiplatform.guardrails.api;

import dev.genaiplatform.contracts.guardrails.ChatMessage;
import dev.genaiplatform.contracts.guardrails.CheckInputCommand;
import dev.genaiplatform.contracts.guardrails.Finding;
import dev.genaiplatform.contracts.guardrails.ToolDefinition;
import dev.genaiplatform.contracts.guardrails.Verdict;
import dev.genaiplatform.contracts.problem.ProblemType;
import dev.genaiplatform.contracts.security.InternalToken;
import dev.genaiplatform.guardrails.detection.GuardrailPipeline;
import dev.genaiplatform.guardrails.detection.Pseudonyms;
import dev.genaiplatform.guardrails.policy.PolicyResolver;
import dev.genaiplatform.guardrails.verdict.VerdictPublisher;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;
import java.util.UUID;

/**
 * The check API for evaluation and red-teaming: the same pipeline as the Kafka input check, on a text or a
 * conversation, with a named policy. Reached through the gateway ({@code /api/guardrails/**}, scope
 * {@code evaluation}); the tenant is the token's.
 */
@RestController
@RequestMapping("/api/guardrails")
class CheckController {

    private final GuardrailPipeline pipeline;
    private final PolicyResolver policies;
    private final VerdictPublisher verdicts;

    CheckController(GuardrailPipeline pipeline, PolicyResolver policies, VerdictPublisher verdicts) {
        this.pipeline = pipeline;
        this.policies = policies;
        this.verdicts = verdicts;
    }

    /**
     * @param text     a text to check as one user message (or give {@code messages})
     * @param messages a conversation, as the orchestrator would send it
     * @param policy   the policy name; the tenant's policy when absent
     */
    record CheckRequest(String text, List<ChatMessage> messages, List<ToolDefinition> tools,
                        String responseFormatSchema, List<String> stop, String user, String policy) {
    }

    /**
     * Findings' offsets point into the original text of their {@code field} ({@code text} for a text check).
     * {@code checked} holds what would be forwarded to the model (masked), empty when blocked.
     */
    record CheckResponse(String requestId, Verdict verdict, String policy, Double injectionScore,
                         List<Finding> findings, List<String> owaspCategories, String reason,
                         List<ChatMessage> checked, long tookMicros) {
    }

    @PostMapping(path = "/check", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<?> check(@RequestBody CheckRequest request, @AuthenticationPrincipal Jwt token) {
        boolean hasText = request.text() != null;
        boolean hasMessages = request.messages() != null && !request.messages().isEmpty();
        if (hasText == hasMessages) {
            return problem(ProblemType.MISSING_REQUIRED_PARAMETER, "Give either 'text' or a non-empty 'messages'.",
                    hasText ? "messages" : "text");
        }
        if (request.policy() != null && policies.named(request.policy()).isEmpty()) {
            return problem(ProblemType.INVALID_VALUE, "Unknown policy '" + request.policy() + "'.", "policy");
        }
        String tenant = token.getClaimAsString(InternalToken.CLAIM_TENANT);
        String requestId = "check-" + UUID.randomUUID();
        List<ChatMessage> messages = hasText ? List.of(new ChatMessage("user", request.text())) : request.messages();
        var command = new CheckInputCommand(requestId, messages, request.tools(), request.responseFormatSchema(),
                request.stop(), request.user(), request.policy());
        var outcome = pipeline.check(command, policies.resolve(request.policy(), tenant), Pseudonyms.perRequest());
        verdicts.publish(outcome, tenant, "check-api", token.getTokenValue());
        var reply = outcome.reply();
        List<Finding> findings = hasText ? reply.findings().stream().map(CheckController::inText).toList() : reply.findings();
        return ResponseEntity.ok(new CheckResponse(requestId, reply.verdict(), outcome.policy(), reply.injectionScore(),
                findings, outcome.owaspCategories(), reply.reason(), reply.messages(), outcome.tookMicros()));
    }

    private static Finding inText(Finding finding) {
        String field = "messages[0].content".equals(finding.field()) ? "text" : finding.field();
        return new Finding(finding.detector(), finding.category(), finding.messageIndex(), finding.start(),
                finding.end(), field);
    }

    private static ResponseEntity<ProblemDetail> problem(ProblemType type, String detail, String param) {
        return ResponseEntity.status(type.status()).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(Problems.of(type, detail, param, "/api/guardrails/check"));
    }
}
