package dev.genaiplatform.gateway.routing;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class CanonicalPathFilterTests {

    @ParameterizedTest
    @ValueSource(strings = { "/", "/v1/chat/completions", "/v1/files/file-abc_1.pdf", "/api/tools/a@b:c,d",
            "/api/evaluation/feedback/caf%C3%A9", "/api/x/with%20space", "/api/x/%23hash", "/.well-known/jwks.json",
            "/api/x/~user", "/api/x/a..b", "/api/x/.hidden" })
    void acceptsACanonicalPath(String path) {
        assertThat(CanonicalPathFilter.isCanonical(path)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "v1/models", "/v1/models/", "//v1", "/v1//models", "/v1/./models", "/v1/../models",
            "/v1/models/.", "/v1/models/..", "/v1;/models", "/v1/models;x=1", "/v1/%6dodels", "/v1/%2e%2e/models",
            "/v1%2fmodels", "/v1%2Fmodels", "/v1%5cmodels", "/v1%3bmodels", "/v1%25models", "/v1%00", "/v1%0a",
            "/v1%7f", "/v1%", "/v1%2", "/v1%zz", "/v1%g0", "/v1\\models", "/v1/mod els", "/v1/mod\"els", "/v1/mödels",
            "/v1/models\u0000", "/v1/<script>", "/v1/a|b", "/v1/a{b}", "/v1/a^b", "/v1/a`b" })
    void refusesEveryOtherSpelling(String path) {
        assertThat(CanonicalPathFilter.isCanonical(path)).isFalse();
    }
}
