package dev.genaiplatform.tools.security;

import dev.genaiplatform.contracts.problem.ProblemType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.MediaType;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * 401 and 403 from the security filters in the platform's problem shape, before any controller runs: a missing or
 * bad token is {@code invalid_internal_token}, a valid token without the {@code agent} scope {@code insufficient_scope}.
 */
public final class ProblemWriter implements AuthenticationEntryPoint, AccessDeniedHandler {

    private final JsonMapper json;

    public ProblemWriter(JsonMapper json) {
        this.json = json;
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
            throws IOException {
        response.setHeader("WWW-Authenticate", "Bearer");
        write(request, response, ProblemType.INVALID_INTERNAL_TOKEN,
                "A valid internal token (Authorization: Bearer, issued by the gateway) is required.");
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException e)
            throws IOException {
        write(request, response, ProblemType.INSUFFICIENT_SCOPE, "This API needs a key with scope 'agent'.");
    }

    private void write(HttpServletRequest request, HttpServletResponse response, ProblemType type, String detail)
            throws IOException {
        response.setStatus(type.status());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        json.writeValue(response.getOutputStream(), body(type, detail, request.getRequestURI()));
    }

    /** The problem document every error of this service uses. */
    public static Map<String, Object> body(ProblemType type, String detail, String instance) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("message", detail);
        error.put("type", type.kind().wireName());
        error.put("code", type.code());
        error.put("param", null);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", type.type());
        body.put("title", type.title());
        body.put("status", type.status());
        body.put("detail", detail);
        body.put("instance", instance);
        body.put("error", error);
        return body;
    }
}
