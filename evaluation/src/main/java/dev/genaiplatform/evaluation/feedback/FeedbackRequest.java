package dev.genaiplatform.evaluation.feedback;

import dev.genaiplatform.contracts.problem.ProblemType;
import dev.genaiplatform.evaluation.api.ApiException;

/**
 * Body of {@code POST /api/evaluation/feedback}.
 *
 * @param completionId the chat completion id the client received ({@code id} of the response)
 * @param rating       {@code up} or {@code down}
 * @param comment      optional, up to 2000 characters
 */
public record FeedbackRequest(String completionId, String rating, String comment) {

    int ratingValue() {
        if (completionId == null || completionId.isBlank()) {
            throw new ApiException(ProblemType.MISSING_REQUIRED_PARAMETER, "'completionId' is required");
        }
        if ("up".equals(rating)) {
            return 1;
        }
        if ("down".equals(rating)) {
            return -1;
        }
        throw new ApiException(rating == null ? ProblemType.MISSING_REQUIRED_PARAMETER : ProblemType.INVALID_VALUE,
                "'rating' must be 'up' or 'down'");
    }
}
