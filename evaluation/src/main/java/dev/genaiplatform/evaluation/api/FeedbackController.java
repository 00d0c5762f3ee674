package dev.genaiplatform.evaluation.api;

import dev.genaiplatform.evaluation.feedback.FeedbackRequest;
import dev.genaiplatform.evaluation.feedback.FeedbackStore;
import dev.genaiplatform.evaluation.security.InternalTokens;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;

/**
 * End users' verdicts on answers: {@code POST /feedback} needs scope {@code chat} (it is part of chatting);
 * the rates over time need scope {@code evaluation}. The user is the token's end user ({@code usr}, from the
 * client's {@code X-User-Id} or OpenAI {@code user}), else the API key id.
 */
@RestController
@RequestMapping("/api/evaluation")
class FeedbackController {

    private final FeedbackStore feedback;

    FeedbackController(FeedbackStore feedback) {
        this.feedback = feedback;
    }

    @PostMapping("/feedback")
    @ResponseStatus(HttpStatus.CREATED)
    FeedbackStore.Feedback give(@AuthenticationPrincipal Jwt token, @RequestBody FeedbackRequest request) {
        return feedback.give(InternalTokens.tenant(token), InternalTokens.caller(token), request);
    }

    @GetMapping("/feedback-rates")
    List<FeedbackStore.FeedbackRate> rates(@AuthenticationPrincipal Jwt token,
                                           @RequestParam(defaultValue = "day") String bucket) {
        return feedback.rates(InternalTokens.tenant(token), bucket);
    }
}
