package dev.genaiplatform.gateway.tenant;

import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.genaiplatform.gateway.PlatformGatewayProperties.RateLimitProperties;
import dev.genaiplatform.gateway.PlatformGatewayProperties.TenantProperties;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class TenantDirectoryTests {

    private static final RateLimitProperties LIMIT = new RateLimitProperties(5, 10, 1);

    @Test
    void findsTenantsByAHashedOrAPlainConfiguredKey() {
        Map<String, TenantProperties> tenants = new LinkedHashMap<>();
        tenants.put("acme", new TenantProperties(sha256Hex("acme-key"), null, List.of("sim-small"), LIMIT));
        tenants.put("demo", new TenantProperties(null, "demo-key", List.of("sim-small", "sim-large"), LIMIT));
        TenantDirectory directory = new TenantDirectory(tenants);

        assertThat(directory.findByApiKey("acme-key")).map(Tenant::id).contains("acme");
        assertThat(directory.findByApiKey("demo-key")).map(Tenant::models).contains(List.of("sim-small", "sim-large"));
        assertThat(directory.findByApiKey("demo-key ")).isEmpty();
        assertThat(directory.findByApiKey("unknown")).isEmpty();
    }

    @Test
    void acceptsAnUppercaseHexHash() {
        TenantDirectory directory = new TenantDirectory(Map.of("acme",
                new TenantProperties(sha256Hex("k").toUpperCase(), null, List.of("m"), LIMIT)));
        assertThat(directory.findByApiKey("k")).isPresent();
    }

    @Test
    void refusesToStartWithoutExactlyOneKeySetting() {
        assertThatIllegalStateException()
            .isThrownBy(() -> new TenantDirectory(Map.of("t", new TenantProperties(null, " ", List.of("m"), LIMIT))))
            .withMessageContaining("platform.gateway.tenants.t");
        assertThatIllegalStateException()
            .isThrownBy(() -> new TenantDirectory(Map.of("t", new TenantProperties(sha256Hex("k"), "k", List.of("m"), LIMIT))))
            .withMessageContaining("exactly one");
    }

    @Test
    void refusesAHashThatIsNotASha256() {
        assertThatIllegalStateException()
            .isThrownBy(() -> new TenantDirectory(Map.of("t", new TenantProperties("abc", null, List.of("m"), LIMIT))))
            .withMessageContaining("api-key-sha256");
    }

    @Test
    void refusesTwoTenantsWithTheSameKey() {
        Map<String, TenantProperties> tenants = new LinkedHashMap<>();
        tenants.put("a", new TenantProperties(null, "shared", List.of("m"), LIMIT));
        tenants.put("b", new TenantProperties(sha256Hex("shared"), null, List.of("m"), LIMIT));
        assertThatIllegalStateException().isThrownBy(() -> new TenantDirectory(tenants)).withMessageContaining("same API key");
    }

    @Test
    void refusesImpossibleRateLimitsAndTenantsWithoutModels() {
        assertThatIllegalStateException().isThrownBy(() -> new TenantDirectory(Map.of("t",
                new TenantProperties(null, "k", List.of("m"), new RateLimitProperties(10, 5, 1)))));
        assertThatIllegalStateException().isThrownBy(() -> new TenantDirectory(Map.of("t",
                new TenantProperties(null, "k", List.of("m"), new RateLimitProperties(1, 5, 6)))));
        assertThatIllegalStateException().isThrownBy(() -> new TenantDirectory(Map.of("t",
                new TenantProperties(null, "k", List.of(), LIMIT))));
    }

    @Test
    void neverPrintsAKey() {
        TenantProperties properties = new TenantProperties(sha256Hex("k"), "plain-secret", List.of("m"), LIMIT);
        assertThat(properties.toString()).doesNotContain("plain-secret").doesNotContain(sha256Hex("k"));
    }

    static String sha256Hex(String key) {
        return HexFormat.of().formatHex(ApiKeyHash.of(key));
    }
}
