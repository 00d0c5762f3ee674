package dev.genaiplatform.tools.registry;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ToolPolicyTests {

    private final PlatformTool low = FakeTool.of("calculator", RiskLevel.LOW);
    private final PlatformTool medium = FakeTool.of("search-orders", RiskLevel.MEDIUM);
    private final PlatformTool high = FakeTool.of("send-email", RiskLevel.HIGH);

    @Test
    void aLowCeilingRunsOnlyLowRiskTools() {
        ToolPolicy policy = new ToolPolicy(RiskLevel.LOW, List.of());

        assertThat(policy.allows(low)).isTrue();
        assertThat(policy.allows(medium)).isFalse();
        assertThat(policy.allows(high)).isFalse();
        assertThat(policy.denialReason(high)).hasValueSatisfying(reason ->
                assertThat(reason).contains("send-email").contains("HIGH").contains("up to LOW"));
    }

    @Test
    void aMediumCeilingRunsLowAndMediumRiskTools() {
        ToolPolicy policy = new ToolPolicy(RiskLevel.MEDIUM, List.of());

        assertThat(List.of(low, medium, high)).filteredOn(policy::allows).containsExactly(low, medium);
    }

    @Test
    void aGrantByNameLetsOneRiskyToolRunWithoutRaisingTheCeilingForOthers() {
        ToolPolicy policy = new ToolPolicy(RiskLevel.LOW, List.of("send-email"));

        assertThat(policy.allows(high)).isTrue();
        assertThat(policy.allows(medium)).isFalse();
        assertThat(policy.denialReason(high)).isEmpty();
    }

    @Test
    void theRegistryFindsToolsByNameListsThemSortedAndRefusesDuplicateNames() {
        ToolRegistry registry = new ToolRegistry(List.of(high, low, medium));

        assertThat(registry.find("send-email")).contains(high);
        assertThat(registry.find("rm")).isEmpty();
        assertThat(registry.find(null)).isEmpty();
        assertThat(registry.all()).extracting(PlatformTool::name)
                .containsExactly("calculator", "search-orders", "send-email");
        assertThatThrownBy(() -> new ToolRegistry(List.of(low, FakeTool.of("calculator", RiskLevel.HIGH))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("calculator");
    }
}
