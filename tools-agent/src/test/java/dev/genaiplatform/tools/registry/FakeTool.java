package dev.genaiplatform.tools.registry;

import org.springframework.ai.tool.definition.ToolDefinition;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/** A tool for tests: a fixed definition and risk, and a body given by the test; it counts its calls. */
public final class FakeTool implements PlatformTool {

    private static final String OBJECT_SCHEMA = "{\"type\":\"object\"}";

    private final ToolDefinition definition;
    private final RiskLevel risk;
    private final Function<String, String> body;
    private final AtomicInteger calls = new AtomicInteger();

    public FakeTool(String name, String inputSchema, RiskLevel risk, Function<String, String> body) {
        this.definition = ToolDefinition.builder().name(name).description("Test tool " + name).inputSchema(inputSchema).build();
        this.risk = risk;
        this.body = body;
    }

    public static FakeTool of(String name, RiskLevel risk) {
        return new FakeTool(name, OBJECT_SCHEMA, risk, input -> "{\"ok\":true}");
    }

    @Override
    public ToolDefinition getToolDefinition() {
        return definition;
    }

    @Override
    public RiskLevel riskLevel() {
        return risk;
    }

    @Override
    public String call(String toolInput) {
        calls.incrementAndGet();
        return body.apply(toolInput);
    }

    public int calls() {
        return calls.get();
    }
}
