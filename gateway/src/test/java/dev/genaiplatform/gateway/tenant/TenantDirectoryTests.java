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

    private static final List<String> MODELS = List.of("m");

    @Test
    void findsTenantsByAHashedOrAPlainConfiguredKey() {
        Map<String, TenantProperties> tenants = new LinkedHashMap<>();
        tenants.put("acme", hashed(sha256Hex("acme-key"), List.of("sim-small")));
        tenants.put("demo", new TenantProperties(null, null, "demo-key", List.of("sim-small", "sim-large"), LIMIT));
        TenantDirectory directory = new TenantDirectory(tenants);

        assertThat(directory.findByApiKey("acme-key")).map(key -> key.tenant().id()).contains("acme");
        assertThat(directory.findByApiKey("demo-key")).map(key -> key.tenant().models())
            .contains(List.of("sim-small", "sim-large"));
        assertThat(directory.findByApiKey("demo-key ")).isEmpty();
        assertThat(directory.findByApiKey("unknown")).isEmpty();
        assertThat(directory.tenants()).extracting(Tenant::id).containsExactly("acme", "demo");
    }

    @Test
    void mapsEveryKeyOfATenantToThatTenantUnderItsOwnId() {
        TenantDirectory directory = new TenantDirectory(Map.of("acme", new TenantProperties(sha256Hex("first"),
                List.of(sha256Hex("second"), sha256Hex("third").toUpperCase()), "fourth", MODELS, LIMIT)));

        List<ApiKey> keys = List.of("first", "second", "third", "fourth").stream()
            .map(key -> directory.findByApiKey(key).orElseThrow()).toList();

        assertThat(keys).extracting(ApiKey::tenant).containsOnly(directory.tenants().getFirst());
        assertThat(keys).extracting(ApiKey::id).doesNotHaveDuplicates();
        assertThat(directory.tenants()).hasSize(1);
    }

    @Test
    void namesAKeyByTheFirstSixteenHexCharactersOfItsHashNeverByTheKey() {
        TenantDirectory directory = new TenantDirectory(Map.of("acme",
                new TenantProperties(null, null, "plain-secret", MODELS, LIMIT)));
        ApiKey key = directory.findByApiKey("plain-secret").orElseThrow();
        assertThat(key.id()).isEqualTo(sha256Hex("plain-secret").substring(0, 16)).doesNotContain("plain-secret");
    }

    @Test
    void acceptsAnUppercaseHexHash() {
        TenantDirectory directory = new TenantDirectory(Map.of("acme", hashed(sha256Hex("k").toUpperCase(), MODELS)));
        assertThat(directory.findByApiKey("k")).isPresent();
    }

    @Test
    void refusesToStartWithoutAnyKey() {
        assertThatIllegalStateException()
            .isThrownBy(() -> new TenantDirectory(Map.of("t", new TenantProperties(" ", List.of(), " ", MODELS, LIMIT))))
            .withMessageContaining("platform.gateway.tenants.t")
            .withMessageContaining("at least one key");
    }

    @Test
    void refusesAHashThatIsNotASha256() {
        assertThatIllegalStateException()
            .isThrownBy(() -> new TenantDirectory(Map.of("t", hashed("abc", MODELS))))
            .withMessageContaining("api-key-sha256");
        assertThatIllegalStateException()
            .isThrownBy(() -> new TenantDirectory(Map.of("t",
                    new TenantProperties(null, List.of(sha256Hex("k"), "xyz"), null, MODELS, LIMIT))))
            .withMessageContaining("api-keys-sha256[1]");
    }

    @Test
    void refusesTwoTenantsWithTheSameKey() {
        Map<String, TenantProperties> tenants = new LinkedHashMap<>();
        tenants.put("a", new TenantProperties(null, null, "shared", MODELS, LIMIT));
        tenants.put("b", new TenantProperties(null, List.of(sha256Hex("other"), sha256Hex("shared")), null, MODELS, LIMIT));
        assertThatIllegalStateException().isThrownBy(() -> new TenantDirectory(tenants)).withMessageContaining("same API key");
    }

    @Test
    void refusesAKeyListedTwiceForOneTenant() {
        assertThatIllegalStateException()
            .isThrownBy(() -> new TenantDirectory(Map.of("t",
                    new TenantProperties(sha256Hex("k"), List.of(sha256Hex("k")), null, MODELS, LIMIT))))
            .withMessageContaining("same API key twice");
    }

    @Test
    void refusesImpossibleRateLimitsAndTenantsWithoutModels() {
        assertThatIllegalStateException().isThrownBy(() -> new TenantDirectory(Map.of("t",
                new TenantProperties(null, null, "k", MODELS, new RateLimitProperties(10, 5, 1)))));
        assertThatIllegalStateException().isThrownBy(() -> new TenantDirectory(Map.of("t",
                new TenantProperties(null, null, "k", MODELS, new RateLimitProperties(1, 5, 6)))));
        assertThatIllegalStateException().isThrownBy(() -> new TenantDirectory(Map.of("t",
                new TenantProperties(null, null, "k", List.of(), LIMIT))));
    }

    @Test
    void neverPrintsAKey() {
        TenantProperties properties = new TenantProperties(sha256Hex("k"), List.of(sha256Hex("k2")), "plain-secret",
                MODELS, LIMIT);
        assertThat(properties.toString()).doesNotContain("plain-secret").doesNotContain(sha256Hex("k"))
            .doesNotContain(sha256Hex("k2"));
    }

    private static TenantProperties hashed(String sha256, List<String> models) {
        return new TenantProperties(sha256, null, null, models, LIMIT);
    }

    static String sha256Hex(String key) {
        return HexFormat.of().formatHex(ApiKeyHash.of(key));
    }
}
