package dev.genaiplatform.gateway;

import java.util.stream.Stream;

import dev.genaiplatform.contracts.security.InternalToken;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.web.reactive.function.BodyInserters;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each API needs its scope, checked on the route that matched: the table of the README, walked for a key that
 * has the scope (forwarded) and one that lacks it (403 {@code insufficient_scope}, nothing forwarded).
 */
class RouteScopeIT extends GatewayTestSupport {

    @Autowired
    RouteLocator routes;

    /** method, path, a key with the scope, a key without it. acme = chat agent evaluation; chatonly = chat. */
    static Stream<Arguments> routesAndScopes() {
        return Stream.of(
                Arguments.of(HttpMethod.POST, "/v1/batches", CHAT_ONLY_KEY, null),
                Arguments.of(HttpMethod.GET, "/v1/batches/batch_1", CHAT_ONLY_KEY, null),
                Arguments.of(HttpMethod.DELETE, "/v1/conversations/conv-1", CHAT_ONLY_KEY, null),
                Arguments.of(HttpMethod.DELETE, "/v1/users/ada/conversations", CHAT_ONLY_KEY, null),
                // a batch's output and error files live in the orchestrator: scope chat, unlike every other file
                Arguments.of(HttpMethod.GET, "/v1/files/file-batch-6f1c2a9e-output", CHAT_ONLY_KEY, ADMIN_KEY),
                Arguments.of(HttpMethod.GET, "/v1/files/file-batch-6f1c2a9e-errors/content", CHAT_ONLY_KEY, ADMIN_KEY),
                Arguments.of(HttpMethod.GET, "/v1/files/file-abc/content", DEMO_KEY, CHAT_ONLY_KEY),
                Arguments.of(HttpMethod.GET, "/v1/files", DEMO_KEY, ACME_KEY),
                Arguments.of(HttpMethod.DELETE, "/v1/files/file-1", DEMO_KEY, CHAT_ONLY_KEY),
                Arguments.of(HttpMethod.POST, "/v1/vector_stores/vs_1/search", DEMO_KEY, ACME_KEY),
                Arguments.of(HttpMethod.POST, "/api/agent/runs", ACME_KEY, CHAT_ONLY_KEY),
                Arguments.of(HttpMethod.POST, "/api/evaluation/feedback/req-1", CHAT_ONLY_KEY, null),
                Arguments.of(HttpMethod.GET, "/api/evaluation/runs", ACME_KEY, CHAT_ONLY_KEY),
                Arguments.of(HttpMethod.GET, "/api/retrieval/documents", DEMO_KEY, ACME_KEY),
                // a chat user opens a cited passage (ADR 0005) without the documents scope
                Arguments.of(HttpMethod.GET, "/api/retrieval/sources/chunk-1", CHAT_ONLY_KEY, ADMIN_KEY),
                Arguments.of(HttpMethod.GET, "/api/tools/catalog", ACME_KEY, CHAT_ONLY_KEY),
                Arguments.of(HttpMethod.POST, "/api/tools/invoke", DEMO_KEY, ADMIN_KEY));
    }

    @ParameterizedTest
    @MethodSource("routesAndScopes")
    void forwardsAKeyWithTheRoutesScopeAndRefusesOneWithout(HttpMethod method, String path, String allowed,
            String refused) throws Exception {
        client.method(method).uri(path).header(HttpHeaders.AUTHORIZATION, "Bearer " + allowed).exchange()
            .expectStatus().isOk();
        assertThat(backend.takeReceived().path()).isEqualTo(path);
        if (refused != null) {
            client.method(method).uri(path).header(HttpHeaders.AUTHORIZATION, "Bearer " + refused).exchange()
                .expectStatus().isForbidden()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.error.code").isEqualTo("insufficient_scope");
            assertThat(backend.receivedNothing()).isTrue();
        }
    }

    @Test
    void refusesChatCompletionsAndGuardrailsToAKeyWithoutTheirScope() {
        chat(ADMIN_KEY, VALID_CHAT).exchange().expectStatus().isForbidden()
            .expectBody().jsonPath("$.error.code").isEqualTo("insufficient_scope");
        client.post().uri("/api/guardrails/check").header(HttpHeaders.AUTHORIZATION, "Bearer " + CHAT_ONLY_KEY)
            .exchange().expectStatus().isForbidden();
        assertThat(backend.receivedNothing()).isTrue();
    }

    @Test
    void letsOnlyTheAdminScopeRotateSigningKeys() {
        client.post().uri("/api/admin/signing-keys/rotate").header(HttpHeaders.AUTHORIZATION, "Bearer " + DEMO_KEY)
            .exchange().expectStatus().isForbidden()
            .expectBody().jsonPath("$.error.code").isEqualTo("insufficient_scope");
        client.post().uri("/api/admin/signing-keys/rotate").header(HttpHeaders.AUTHORIZATION, "Bearer " + ADMIN_KEY)
            .exchange().expectStatus().value(status -> assertThat(status).isIn(200, 409));
    }

    @Test
    void listsModelsForAKeyOfAnyScope() {
        models(ADMIN_KEY).expectStatus().isOk().expectBody().jsonPath("$.data.length()").isEqualTo(0);
        models(CHAT_ONLY_KEY).expectStatus().isOk().expectBody().jsonPath("$.data[0].id").isEqualTo("sim-small");
    }

    @Test
    void passesAMultipartUploadLargerThanTheJsonLimitThroughToTheFilesRoute() throws Exception {
        MultipartBodyBuilder parts = new MultipartBodyBuilder();
        parts.part("purpose", "assistants");
        parts.part("file", new ByteArrayResource(new byte[5 * 1024 * 1024]) {
            @Override
            public String getFilename() {
                return "handbook.pdf";
            }
        }).contentType(MediaType.APPLICATION_PDF);
        client.post().uri("/v1/files").header(HttpHeaders.AUTHORIZATION, "Bearer " + DEMO_KEY)
            .body(BodyInserters.fromMultipartData(parts.build()))
            .exchange().expectStatus().isOk();
        FakeBackend.Received received = backend.takeReceived();
        assertThat(received.header(HttpHeaders.CONTENT_TYPE).getFirst()).startsWith("multipart/form-data");
        assertThat(received.body().length()).isGreaterThan(5 * 1024 * 1024);
    }

    @Test
    void everyConfiguredRouteNamesAKnownScope() {
        for (Route route : routes.getRoutes().collectList().block()) {
            assertThat(route.getMetadata().get("scope")).as(route.getId())
                .isIn(InternalToken.SCOPE_CHAT, InternalToken.SCOPE_DOCUMENTS, InternalToken.SCOPE_AGENT,
                        InternalToken.SCOPE_EVALUATION, InternalToken.SCOPE_ADMIN, "any");
        }
    }
}
