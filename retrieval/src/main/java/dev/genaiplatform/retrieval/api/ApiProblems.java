package dev.genaiplatform.retrieval.api;

import dev.genaiplatform.contracts.problem.ProblemType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Every error as {@code application/problem+json} typed by a {@link ProblemType}, with OpenAI's {@code error}
 * member so the official SDKs raise their own exception classes. Spring MVC's own refusals (missing parameter,
 * unreadable JSON, upload too large, unknown path) are mapped onto the same vocabulary. Never a stack trace.
 */
@RestControllerAdvice
class ApiProblems extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiProblems.class);

    @ExceptionHandler(ApiException.class)
    ResponseEntity<Object> refused(ApiException exception, WebRequest request) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatusCode.valueOf(exception.type().status()),
                exception.getMessage());
        ProblemBodies.decorate(problem, exception.type(), exception.param());
        return handleExceptionInternal(exception, problem, new HttpHeaders(), HttpStatusCode.valueOf(exception.type().status()), request);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<Object> unexpected(Exception exception, WebRequest request) {
        log.error("Unexpected failure on {}", request.getDescription(false), exception);
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR, "The request failed unexpectedly.");
        ProblemBodies.decorate(problem, ProblemType.INTERNAL_ERROR, null);
        return handleExceptionInternal(exception, problem, new HttpHeaders(), HttpStatus.INTERNAL_SERVER_ERROR, request);
    }

    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception ex, Object body, HttpHeaders headers,
                                                             HttpStatusCode statusCode, WebRequest request) {
        if (body == null && ex instanceof org.springframework.web.ErrorResponse response) {
            body = response.getBody();
        }
        if (body instanceof ProblemDetail problem && (problem.getType() == null
                || !problem.getType().toString().startsWith(ProblemType.TYPE_PREFIX))) {
            ProblemBodies.decorate(problem, typeOf(ex, statusCode), null);
        }
        if (body instanceof ProblemDetail problem && problem.getInstance() == null && request instanceof ServletWebRequest servlet) {
            problem.setInstance(java.net.URI.create(servlet.getRequest().getRequestURI()));
        }
        return super.handleExceptionInternal(ex, body, headers, statusCode, request);
    }

    private static ProblemType typeOf(Exception exception, HttpStatusCode status) {
        return switch (exception) {
            case org.springframework.http.converter.HttpMessageNotReadableException e -> ProblemType.INVALID_JSON;
            case org.springframework.web.bind.MissingServletRequestParameterException e -> ProblemType.MISSING_REQUIRED_PARAMETER;
            case org.springframework.web.multipart.support.MissingServletRequestPartException e -> ProblemType.MISSING_REQUIRED_PARAMETER;
            case org.springframework.web.method.annotation.MethodArgumentTypeMismatchException e -> ProblemType.INVALID_TYPE;
            default -> switch (status.value()) {
                case 404 -> ProblemType.ROUTE_NOT_FOUND;
                case 405 -> ProblemType.METHOD_NOT_ALLOWED;
                case 413 -> ProblemType.REQUEST_TOO_LARGE;
                case 415 -> ProblemType.UNSUPPORTED_MEDIA_TYPE;
                case 400 -> ProblemType.INVALID_VALUE;
                default -> status.is4xxClientError() ? ProblemType.INVALID_VALUE : ProblemType.INTERNAL_ERROR;
            };
        };
    }
}
