package dev.genaiplatform.evaluation.api;

import dev.genaiplatform.contracts.problem.ProblemType;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Every error as {@code application/problem+json} with a {@link ProblemType}: the service's own refusals
 * ({@link ApiException}) and Spring MVC's (unknown path, wrong method, unreadable body) alike.
 */
@RestControllerAdvice
class ApiProblems extends ResponseEntityExceptionHandler {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ApiProblems.class);

    @ExceptionHandler(ApiException.class)
    ResponseEntity<Object> refused(ApiException exception, WebRequest request) {
        ProblemType type = exception.problem();
        return handleExceptionInternal(exception, ProblemBodies.of(type, exception.getMessage()), new HttpHeaders(),
                HttpStatusCode.valueOf(type.status()), request);
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<Object> badParameter(MethodArgumentTypeMismatchException exception, WebRequest request) {
        return refused(new ApiException(ProblemType.INVALID_VALUE,
                "'" + exception.getName() + "' has an invalid value: " + exception.getValue()), request);
    }

    /** Anything unexpected: a 500 problem with no internals in it; the details go to the log. */
    @ExceptionHandler(Exception.class)
    ResponseEntity<Object> unexpected(Exception exception, WebRequest request) {
        log.error("unexpected error on {}", request.getDescription(false), exception);
        return handleExceptionInternal(exception, ProblemBodies.of(ProblemType.INTERNAL_ERROR,
                "The evaluation service failed to handle the request; it has been logged."), new HttpHeaders(),
                HttpStatusCode.valueOf(500), request);
    }

    @Override
    protected ResponseEntity<Object> createResponseEntity(Object body, HttpHeaders headers, HttpStatusCode status,
                                                          WebRequest request) {
        if (body instanceof ProblemDetail problem && (problem.getType() == null
                || !problem.getType().toString().startsWith(ProblemType.TYPE_PREFIX))) {
            ProblemType type = typeOf(status);
            String detail = problem.getDetail() == null ? type.title() : problem.getDetail();
            body = ProblemBodies.of(type, detail);
        }
        return super.createResponseEntity(body, headers, status, request);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException exception,
                                                                  HttpHeaders headers, HttpStatusCode status,
                                                                  WebRequest request) {
        String detail = "The request body is not valid JSON for this API: "
                + (exception.getMostSpecificCause().getMessage() == null ? "unreadable"
                : firstLine(exception.getMostSpecificCause().getMessage()));
        return handleExceptionInternal(exception, ProblemBodies.of(ProblemType.INVALID_JSON, detail), headers,
                status, request);
    }

    private static ProblemType typeOf(HttpStatusCode status) {
        return switch (status.value()) {
            case 404 -> ProblemType.ROUTE_NOT_FOUND;
            case 405 -> ProblemType.METHOD_NOT_ALLOWED;
            case 413 -> ProblemType.REQUEST_TOO_LARGE;
            case 415 -> ProblemType.UNSUPPORTED_MEDIA_TYPE;
            case 409 -> ProblemType.CONFLICT;
            default -> status.is4xxClientError() ? ProblemType.INVALID_VALUE : ProblemType.INTERNAL_ERROR;
        };
    }

    private static String firstLine(String message) {
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
