package dev.genaiplatform.tools.api;

import dev.genaiplatform.contracts.tools.ToolInvokedReply;
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
 * Every error as {@code application/problem+json} in the platform's shape: a {@code urn:genai-platform:problem:}
 * type, and an extra {@code error} member so that OpenAI client libraries can read the message too. Spring
 * MVC's own errors (unknown path, wrong method or media type, ...) get the same treatment.
 *
 * <p>Tool outcomes map to statuses: UNKNOWN_TOOL 404, INVALID_ARGUMENTS 400, DENIED 403, FAILED 422 (the
 * request was fine, the computation was not: division by zero).
 */
@RestControllerAdvice
class ApiProblems extends ResponseEntityExceptionHandler {

    private static final String TYPE_PREFIX = "urn:genai-platform:problem:";

    @ExceptionHandler(ToolsController.ToolInvocationProblem.class)
    ResponseEntity<Object> toolInvocation(ToolsController.ToolInvocationProblem problem, WebRequest request) {
        ToolInvokedReply reply = problem.reply();
        HttpStatus status = switch (reply.status()) {
            case UNKNOWN_TOOL -> HttpStatus.NOT_FOUND;
            case INVALID_ARGUMENTS -> HttpStatus.BAD_REQUEST;
            case DENIED -> HttpStatus.FORBIDDEN;
            case FAILED, SUCCEEDED -> HttpStatus.UNPROCESSABLE_CONTENT;
        };
        String slug = reply.status().name().toLowerCase(Locale.ROOT).replace('_', '-');
        ProblemDetail body = ProblemDetail.forStatusAndDetail(status, reply.error());
        body.setType(URI.create(TYPE_PREFIX + slug));
        body.setTitle(switch (reply.status()) {
            case UNKNOWN_TOOL -> "Unknown tool";
            case INVALID_ARGUMENTS -> "Invalid tool arguments";
            case DENIED -> "Tool not allowed";
            case FAILED, SUCCEEDED -> "Tool failed";
        });
        body.setProperty("toolName", reply.toolName());
        return handleExceptionInternal(problem, body, new HttpHeaders(), status, request);
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
        String type = problem.getType() == null ? "" : problem.getType().toString();
        if (type.startsWith(TYPE_PREFIX)) {
            return type.substring(TYPE_PREFIX.length());
        }
        HttpStatus known = HttpStatus.resolve(status.value());
        return known == null ? "status-" + status.value() : known.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
