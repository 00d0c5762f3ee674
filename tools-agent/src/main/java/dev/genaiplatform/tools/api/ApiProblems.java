package dev.genaiplatform.tools.api;

import dev.genaiplatform.contracts.problem.ProblemType;
import dev.genaiplatform.tools.security.ProblemWriter;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

import java.util.Map;

/**
 * Every error as {@code application/problem+json} in the platform's shape ({@link ProblemType}, with the
 * OpenAI-shaped {@code error} member); Spring MVC's own errors (unknown path, wrong method or media type, malformed
 * body) get the same treatment.
 */
@RestControllerAdvice
class ApiProblems extends ResponseEntityExceptionHandler {

    @ExceptionHandler(ApiProblem.class)
    ResponseEntity<Object> problem(ApiProblem problem, HttpServletRequest request) {
        return respond(problem.type(), problem.getMessage(), request.getRequestURI());
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex, HttpHeaders headers,
                                                                  HttpStatusCode status, WebRequest request) {
        return respond(ProblemType.INVALID_JSON, "The request body is not the JSON this endpoint expects.", path(request));
    }

    @Override
    protected ResponseEntity<Object> createResponseEntity(Object body, HttpHeaders headers, HttpStatusCode status,
                                                          WebRequest request) {
        if (body instanceof ProblemDetail detail) {
            ProblemType type = switch (status.value()) {
                case 404 -> ProblemType.NOT_FOUND;
                case 405 -> ProblemType.METHOD_NOT_ALLOWED;
                case 415 -> ProblemType.UNSUPPORTED_MEDIA_TYPE;
                case 413 -> ProblemType.REQUEST_TOO_LARGE;
                default -> status.is4xxClientError() ? ProblemType.INVALID_VALUE : ProblemType.INTERNAL_ERROR;
            };
            return respond(type, detail.getDetail(), path(request));
        }
        return super.createResponseEntity(body, headers, status, request);
    }

    private static ResponseEntity<Object> respond(ProblemType type, String detail, String instance) {
        Map<String, Object> body = ProblemWriter.body(type, detail, instance);
        return ResponseEntity.status(type.status()).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(body);
    }

    private static String path(WebRequest request) {
        return request instanceof ServletWebRequest servlet ? servlet.getRequest().getRequestURI() : null;
    }
}
