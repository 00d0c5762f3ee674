package dev.genaiplatform.retrieval.api;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Errors as {@code application/problem+json} in the platform's shape: a {@code urn:genai-platform:problem:<slug>}
 * type plus an OpenAI-style {@code error} member. Spring MVC's own errors (missing parameter, wrong type, unknown
 * path) get the same shape.
 */
@RestControllerAdvice
class ApiProblems extends ResponseEntityExceptionHandler {

    private static final String TYPE_PREFIX = "urn:genai-platform:problem:";

    @ExceptionHandler(RetrievalController.InvalidSearchException.class)
    ResponseEntity<Object> invalidSearch(RetrievalController.InvalidSearchException exception, WebRequest request) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, exception.getMessage());
        problem.setType(URI.create(TYPE_PREFIX + "invalid-search"));
        problem.setTitle("Invalid search");
        return handleExceptionInternal(exception, problem, new HttpHeaders(), HttpStatus.BAD_REQUEST, request);
    }

    @Override
    protected ResponseEntity<Object> createResponseEntity(Object body, HttpHeaders headers, HttpStatusCode status,
                                                          WebRequest request) {
        if (body instanceof ProblemDetail problem) {
            String slug = slug(problem, status);
            problem.setType(URI.create(TYPE_PREFIX + slug));
            Map<String, Object> error = new LinkedHashMap<>();
            error.put("message", problem.getDetail());
            error.put("type", status.value() >= 500 ? "server_error" : "invalid_request_error");
            error.put("code", slug);
            problem.setProperty("error", error);
        }
        return super.createResponseEntity(body, headers, status, request);
    }

    /** The slug already in the type, or one made from the status (404 becomes {@code not-found}). */
    private static String slug(ProblemDetail problem, HttpStatusCode status) {
        // Spring Framework 7 leaves the type null (it used to be about:blank) for its own errors
        String type = problem.getType() == null ? "" : problem.getType().toString();
        if (type.startsWith(TYPE_PREFIX)) {
            return type.substring(TYPE_PREFIX.length());
        }
        HttpStatus known = HttpStatus.resolve(status.value());
        return known == null ? "status-" + status.value() : known.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
