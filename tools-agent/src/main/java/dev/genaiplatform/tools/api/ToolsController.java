package dev.genaiplatform.tools.api;

import dev.genaiplatform.contracts.tools.InvokeToolCommand;
import dev.genaiplatform.contracts.tools.ToolInvokedReply;
import dev.genaiplatform.tools.invocation.ToolInvoker;
import dev.genaiplatform.tools.registry.PlatformTool;
import dev.genaiplatform.tools.registry.ToolPolicy;
import dev.genaiplatform.tools.registry.ToolRegistry;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

import java.util.List;
import java.util.UUID;

/**
 * The registry over HTTP: list the tools (what an agent, or a person writing one, reads to decide what to call)
 * and run one directly. Running goes through the same {@link ToolInvoker} as Kafka, so the same policy and
 * validation apply; any outcome but SUCCEEDED becomes a problem response (see {@link ApiProblems}).
 */
@RestController
@RequestMapping(path = "/api/tools", produces = MediaType.APPLICATION_JSON_VALUE)
class ToolsController {

    private final ToolRegistry registry;
    private final ToolPolicy policy;
    private final ToolInvoker invoker;
    private final JsonMapper json;

    ToolsController(ToolRegistry registry, ToolPolicy policy, ToolInvoker invoker, JsonMapper json) {
        this.registry = registry;
        this.policy = policy;
        this.invoker = invoker;
        this.json = json;
    }

    @GetMapping
    List<ToolView> list() {
        return registry.all().stream().map(this::view).toList();
    }

    @GetMapping("/{name}")
    ToolView one(@PathVariable String name) {
        return registry.find(name).map(this::view).orElseThrow(() -> new ToolInvocationProblem(
                new ToolInvokedReply(null, name, ToolInvokedReply.Status.UNKNOWN_TOOL, null,
                        "No tool named '" + name + "'.", 0)));
    }

    /** The body is the arguments object, e.g. {@code {"expression": "2 + 2"}}. */
    @PostMapping(path = "/{name}/invocations", consumes = MediaType.APPLICATION_JSON_VALUE)
    ToolInvokedReply invoke(@PathVariable String name, @RequestBody String arguments,
                            @RequestHeader(name = "X-Request-Id", required = false) String requestId) {
        ToolInvokedReply reply = invoker.invoke(new InvokeToolCommand(
                requestId == null ? "http-" + UUID.randomUUID() : requestId, name, arguments));
        if (reply.status() != ToolInvokedReply.Status.SUCCEEDED) {
            throw new ToolInvocationProblem(reply);
        }
        return reply;
    }

    private ToolView view(PlatformTool tool) {
        return ToolView.of(tool, json.readTree(tool.getToolDefinition().inputSchema()), policy.allows(tool));
    }

    /** An invocation that did not succeed, carried to {@link ApiProblems}. */
    static final class ToolInvocationProblem extends RuntimeException {

        private final transient ToolInvokedReply reply;

        ToolInvocationProblem(ToolInvokedReply reply) {
            super(reply.error(), null, false, false);
            this.reply = reply;
        }

        ToolInvokedReply reply() {
            return reply;
        }
    }
}
