package dev.genaiplatform.guardrails.api;

import dev.genaiplatform.contracts.problem.ProblemType;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/** Every failure of the HTTP API leaves as a problem document from {@link ProblemType}; never a stack trace. */
@RestControllerAdvice
class ProblemResponses {

    private static final Logger log = LoggerFactory.getLogger(ProblemResponses.class);

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<ProblemDetail> unreadable(HttpMessageNotReadableException ex, HttpServletRequest request) {
        for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
            if (cause instanceof BodySizeLimitFilter.BodyTooLargeException) {
                return answer(ProblemType.REQUEST_TOO_LARGE,
                        "The request body is larger than " + BodySizeLimitFilter.MAX_BYTES + " bytes.", request);
            }
        }
        return answer(ProblemType.INVALID_JSON, "The body is not valid JSON of the expected shape.", request);
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<ProblemDetail> mediaType(HttpMediaTypeNotSupportedException ex, HttpServletRequest request) {
        return answer(ProblemType.UNSUPPORTED_MEDIA_TYPE, "Send application/json.", request);
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<ProblemDetail> method(HttpRequestMethodNotSupportedException ex, HttpServletRequest request) {
        return answer(ProblemType.METHOD_NOT_ALLOWED, "Use POST.", request);
    }

    @ExceptionHandler(NoResourceFoundException.class)
    ResponseEntity<ProblemDetail> notFound(NoResourceFoundException ex, HttpServletRequest request) {
        return answer(ProblemType.ROUTE_NOT_FOUND, "No such endpoint.", request);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception ex, HttpServletRequest request) {
        log.error("Unexpected failure on {}", request.getRequestURI(), ex);
        return answer(ProblemType.INTERNAL_ERROR, "The check failed unexpectedly.", request);
    }

    private static ResponseEntity<ProblemDetail> answer(ProblemType type, String detail, HttpServletRequest request) {
        return ResponseEntity.status(type.status()).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(Problems.of(type, detail, null, request.getRequestURI()));
    }
}
