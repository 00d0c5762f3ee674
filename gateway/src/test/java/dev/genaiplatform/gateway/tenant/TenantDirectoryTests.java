package dev.genaiplatform.gateway.tenant;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.genaiplatform.gateway.PlatformGatewayProperties.KeyProperties;
import dev.genaiplatform.gateway.PlatformGatewayProperties.RateLimitProperties;
import dev.genaiplatform.gateway.PlatformGatewayProperties.TenantProperties;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class TenantDirectoryTests {

    private static final RateLimitProperties LIMIT = new RateLimitProperties(5, 10, 1);

    private static final List<String> MODELS = List.of("sim-small", "sim-large");

    @Test
    void findsKeysByAHashedOrAPlainConfiguredKeyWithTheirScopesAndModels() {
        Map<String, TenantProperties> tenants = new LinkedHashMap<>();
        tenants.put("acme", tenant(Map.of("app", new KeyProperties(null, sha256Hex("acme-key"), List.of("chat"), List.of()))));
        tenants.put("demo", tenant(Map.of("eval", new KeyProperties("demo-key", null, List.of("chat", "evaluation"),
                List.of("sim-small")))));
        TenantDirectory directory = new TenantDirectory(tenants);

        ApiKey acme = directory.findByApiKey("acme-key").orElseThrow();
        assertThat(acme.tenant().id()).isEqualTo("acme");
        assertThat(acme.scopes()).containsExactly("chat");
        assertThat(acme.models()).isEqualTo(MODELS);
        ApiKey demo = directory.findByApiKey("demo-key").orElseThrow();
        assertThat(demo.scopes()).containsExactlyInAnyOrder("chat", "evaluation");
        assertThat(demo.models()).containsExactly("sim-small");
        assertThat(directory.findByApiKey("demo-key ")).isEmpty();
        assertThat(directory.findByApiKey("unknown")).isEmpty();
        assertThat(directory.tenants()).extracting(Tenant::id).containsExactlyInAnyOrder("acme", "demo");
    }

    @Test
    void namesAKeyByTheStartOfItsHashNeverByTheKey() {
        TenantDirectory directory = new TenantDirectory(Map.of("acme",
                tenant(Map.of("a", key("first")), Map.of("b", key("second")))));
        ApiKey first = directory.findByApiKey("first").orElseThrow();
        ApiKey second = directory.findByApiKey("second").orElseThrow();
        assertThat(first.id()).isEqualTo(sha256Hex("first").substring(0, 16)).doesNotContain("first");
        assertThat(second.id()).isNotEqualTo(first.id());
        assertThat(second.tenant()).isEqualTo(first.tenant());
    }

    @Test
    void skipsAKeyWithNeitherPlainNorHashedValueSoOptionalKeysCanBeLeftUnset() {
        TenantDirectory directory = new TenantDirectory(Map.of("platform",
                tenant(Map.of("admin", new KeyProperties("", null, List.of("admin"), List.of())))));
        assertThat(directory.findByApiKey("")).isEmpty();
    }

    @Test
    void refusesToStartOnAConfigurationMistake() {
        assertThatIllegalStateException().isThrownBy(() -> new TenantDirectory(Map.of("acme",
                tenant(Map.of("a", new KeyProperties("k", null, List.of(), List.of()))))))
            .withMessageContaining("scopes");
        assertThatIllegalStateException().isThrownBy(() -> new TenantDirectory(Map.of("acme",
                tenant(Map.of("a", new KeyProperties("k", null, List.of("root"), List.of()))))))
            .withMessageContaining("unknown scope 'root'");
        assertThatIllegalStateException().isThrownBy(() -> new TenantDirectory(Map.of("acme",
                tenant(Map.of("a", new KeyProperties("k", null, List.of("chat"), List.of("gpt-9")))))))
            .withMessageContaining("subset");
        assertThatIllegalStateException().isThrownBy(() -> new TenantDirectory(Map.of("acme",
                tenant(Map.of("a", new KeyProperties("k", sha256Hex("k"), List.of("chat"), List.of()))))))
            .withMessageContaining("both");
        assertThatIllegalStateException().isThrownBy(() -> new TenantDirectory(Map.of("acme",
                tenant(Map.of("a", new KeyProperties(null, "not-hex", List.of("chat"), List.of()))))))
            .withMessageContaining("not a hex SHA-256");
        assertThatIllegalStateException().isThrownBy(() -> new TenantDirectory(Map.of("acme",
                tenant(Map.of("a", key("k")), Map.of("b", new KeyProperties(null, sha256Hex("k"), List.of("chat"), List.of()))))))
            .withMessageContaining("same API key twice");
        assertThatIllegalStateException().isThrownBy(() -> new TenantDirectory(Map.of(
                "acme", tenant(Map.of("a", key("shared"))), "other", tenant(Map.of("b", key("shared"))))))
            .withMessageContaining("have the same API key");
        assertThatIllegalStateException().isThrownBy(() -> new TenantDirectory(Map.of("acme",
                new TenantProperties(MODELS, new RateLimitProperties(0, 10, 1), Map.of("a", key("k"))))))
            .withMessageContaining("replenish-rate");
    }

    @Test
    void neverPrintsAKey() {
        assertThat(new KeyProperties("secret-key", null, List.of("chat"), List.of()).toString()).doesNotContain("secret");
    }

    private static KeyProperties key(String plain) {
        return new KeyProperties(plain, null, List.of("chat"), List.of());
    }

    @SafeVarargs
    private static TenantProperties tenant(Map<String, KeyProperties>... keys) {
        Map<String, KeyProperties> all = new LinkedHashMap<>();
        for (Map<String, KeyProperties> some : keys) {
            all.putAll(some);
        }
        return new TenantProperties(MODELS, LIMIT, all);
    }

    static String sha256Hex(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        }
        catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
