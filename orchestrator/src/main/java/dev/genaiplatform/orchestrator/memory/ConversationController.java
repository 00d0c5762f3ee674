package dev.genaiplatform.orchestrator.memory;

import dev.genaiplatform.contracts.problem.ProblemType;
import dev.genaiplatform.contracts.security.InternalToken;
import dev.genaiplatform.orchestrator.chat.ChatCompletionException;
import dev.genaiplatform.orchestrator.security.Caller;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import java.util.Map;

/**
 * Forgetting: {@code DELETE /v1/conversations/{id}} removes one conversation of the caller (204; 404 when it is
 * not theirs), {@code DELETE /v1/users/{userId}/conversations} every conversation a user of the caller's tenant
 * started (the user themself, or a key with scope {@code admin}). Conversations never enter the answer caches
 * (requests with a conversation id bypass them), so nothing of a deleted conversation can come back from there.
 */
@RestController
class ConversationController {

    private final ConversationMemory memory;

    ConversationController(ConversationMemory memory) {
        this.memory = memory;
    }

    @DeleteMapping("/v1/conversations/{conversationId}")
    ResponseEntity<Void> deleteConversation(@AuthenticationPrincipal Jwt token, @PathVariable String conversationId) {
        Caller caller = Caller.from(token);
        if (!ConversationMemory.isValidId(conversationId) || !this.memory.delete(caller.tenantId(), caller.userId(),
                conversationId)) {
            throw new ChatCompletionException(ProblemType.NOT_FOUND, "No such conversation.", "conversation_id", null,
                    null);
        }
        return ResponseEntity.noContent().build();
    }

    @DeleteMapping("/v1/users/{userId}/conversations")
    ResponseEntity<Map<String, Object>> deleteUserConversations(@AuthenticationPrincipal Jwt token,
                                                               @PathVariable String userId) {
        Caller caller = Caller.from(token);
        if (!userId.equals(caller.userId()) && !caller.scopes().contains(InternalToken.SCOPE_ADMIN)) {
            throw new ChatCompletionException(ProblemType.INSUFFICIENT_SCOPE,
                    "Only the user themself or a key with scope 'admin' may delete a user's conversations.", null,
                    null, null);
        }
        int deleted = this.memory.deleteUser(caller.tenantId(), userId);
        return ResponseEntity.ok(Map.of("userId", userId, "deletedConversations", deleted));
    }
}
