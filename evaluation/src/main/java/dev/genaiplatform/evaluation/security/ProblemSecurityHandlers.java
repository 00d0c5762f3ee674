package dev.genaiplatform.evaluation.security;

import dev.genaiplatform.contracts.problem.ProblemType;
import dev.genaiplatform.evaluation.api.ProblemBodies;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.MediaType;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.AuthenticationEntryPoint;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;

/** Spring Security's 401 and 403 in the platform's problem shape, so a refused token reads like any error. */
public final class ProblemSecurityHandlers {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ProblemSecurityHandlers() {
    }

    public static AuthenticationEntryPoint invalidToken() {
        return (request, response, exception) -> write(response, ProblemType.INVALID_INTERNAL_TOKEN,
                "A valid internal token is required (Authorization: Bearer, issued by the gateway): "
                        + exception.getMessage());
    }

    public static AccessDeniedHandler insufficientScope(String hint) {
        return (request, response, exception) -> write(response, ProblemType.INSUFFICIENT_SCOPE,
                "The API key lacks the scope this API needs. " + hint);
    }

    private static void write(HttpServletResponse response, ProblemType type, String detail) throws IOException {
        response.setStatus(type.status());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        if (type.status() == 401) {
            response.setHeader("WWW-Authenticate", "Bearer");
        }
        JSON.writeValue(response.getOutputStream(), ProblemBodies.asMap(type, detail));
    }
}
