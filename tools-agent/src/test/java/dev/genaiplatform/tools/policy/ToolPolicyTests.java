package dev.genaiplatform.tools.policy;

import dev.genaiplatform.contracts.tools.RiskTier;
import dev.genaiplatform.tools.registry.PlatformTool;
import dev.genaiplatform.tools.security.Caller;
import org.junit.jupiter.api.Test;
import org.springframework.ai.tool.definition.ToolDefinition;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.core.io.ClassPathResource;

import java.nio.charset.StandardCharsets;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ToolPolicyTests {

    private static PlatformTool tool(String name, RiskTier tier) {
        ToolDefinition definition = ToolDefinition.builder().name(name).description(name).inputSchema("{}").build();
        return new PlatformTool() {
            @Override
            public RiskTier riskTier() {
                return tier;
            }

            @Override
            public String run(String argumentsJson, Caller caller) {
                return "{}";
            }

            @Override
            public ToolDefinition getToolDefinition() {
                return definition;
            }
        };
    }

    private static Caller caller(String tenant, String... scopes) {
        return new Caller(tenant, "key", Set.of(scopes), "user", "rid", "token");
    }

    private static ToolPolicy policy(String yaml) {
        return ToolPolicy.load(new ByteArrayResource(yaml.getBytes(StandardCharsets.UTF_8)));
    }

    private final ToolPolicy shipped = ToolPolicy.load(new ClassPathResource("tool-policy.yml"));

    @Test
    void theShippedPolicyLetsEveryTenantReadButOnlyNamedTenantsActAndSensitiveToolsAlwaysWaitForAHuman() {
        PlatformTool email = tool("send_email", RiskTier.SENSITIVE);
        PlatformTool meeting = tool("schedule_meeting", RiskTier.WRITE);

        assertThat(shipped.decide(tool("calculator", RiskTier.READ), caller("anyone", "agent")).allowed()).isTrue();
        assertThat(shipped.decide(email, caller("anyone", "agent")).allowed()).isFalse();
        assertThat(shipped.decide(email, caller("demo", "agent"))).isEqualTo(new ToolPolicy.Decision(true, true, null));
        assertThat(shipped.decide(meeting, caller("demo", "agent")).approvalRequired()).isFalse();
        assertThat(shipped.decide(meeting, caller("acme", "agent")).approvalRequired()).isTrue();
    }

    @Test
    void aKeyNeedsEveryScopeTheToolNeeds() {
        ToolPolicy.Decision decision = shipped.decide(tool("search_documents", RiskTier.READ), caller("demo", "agent"));

        assertThat(decision.allowed()).isFalse();
        assertThat(decision.reason()).contains("[documents]");
        assertThat(shipped.decide(tool("search_documents", RiskTier.READ), caller("demo", "agent", "documents")).allowed()).isTrue();
    }

    @Test
    void denyByDefaultWithoutARuleForTheTenant() {
        ToolPolicy only = policy("tenants:\n  demo:\n    allow: [calculator]\n");

        assertThat(only.decide(tool("calculator", RiskTier.READ), caller("other", "agent")).allowed()).isFalse();
        assertThat(only.decide(tool("calculator", RiskTier.READ), caller("demo", "agent")).allowed()).isTrue();
    }

    @Test
    void theFileCanRaiseATierAndRequireApprovalButNeverLowerATier() {
        ToolPolicy raised = policy("""
                tools:
                  lookup: { tier: sensitive }
                  sender: { tier: read }
                  booker: { require-approval: true }
                tenants:
                  "*": { allow: ["*"] }
                """.replace("sensitive", "SENSITIVE").replace("read }", "READ }"));

        assertThat(raised.decide(tool("lookup", RiskTier.READ), caller("t", "agent")).approvalRequired()).isTrue();
        assertThat(raised.tier(tool("sender", RiskTier.SENSITIVE))).isEqualTo(RiskTier.SENSITIVE);
        assertThat(raised.decide(tool("sender", RiskTier.SENSITIVE), caller("t", "agent")).approvalRequired()).isTrue();
        assertThat(raised.decide(tool("booker", RiskTier.WRITE), caller("t", "agent")).approvalRequired()).isTrue();
    }

    @Test
    void aTypoInThePolicyFailsTheStartInsteadOfChangingIt() {
        assertThatThrownBy(() -> policy("tenants:\n  demo:\n    alow: [calculator]\n")).isInstanceOf(RuntimeException.class);
        assertThat(shipped.unknownNames(Set.of("calculator"))).contains("send_email").doesNotContain("*");
    }
}
