package dev.genaiplatform.contracts.guardrails;

import java.util.List;

/**
 * The guardrails verdict for a {@link CheckInputCommand}.
 *
 * @param requestId the chat request this verdict belongs to
 * @param verdict   allowed, redacted or blocked
 * @param messages  the messages to forward: redacted where needed; empty when blocked
 * @param findings  what the detectors found, without the sensitive text
 * @param reason    a sentence a client may see when blocked; null otherwise
 */
public record InputCheckedReply(String requestId, Verdict verdict, List<ChatMessage> messages,
                                List<Finding> findings, String reason) {
}
