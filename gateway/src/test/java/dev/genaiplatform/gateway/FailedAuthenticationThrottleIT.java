package dev.genaiplatform.gateway;

import org.junit.jupiter.api.Test;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Key guessing from one address: three wrong keys, then 429 for everything from that address, the right key
 * included, so a guess that lands cannot be told apart. Its own gateway (context), since the test's address is
 * throttled at the end.
 */
@TestPropertySource(properties = { "platform.gateway.client.max-failed-authentications=3",
        "platform.gateway.client.failed-authentication-window=10m" })
class FailedAuthenticationThrottleIT extends GatewayTestSupport {

    @Test
    void throttlesAnAddressAfterTooManyFailedAuthenticationsWhateverKeyItSendsNext() {
        for (int i = 0; i < 3; i++) {
            models("guess-" + i).expectStatus().isUnauthorized();
        }
        models("guess-4").expectStatus().isEqualTo(429)
            .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
            .expectHeader().value(HttpHeaders.RETRY_AFTER, seconds -> assertThat(Long.parseLong(seconds)).isBetween(1L, 600L))
            .expectBody().jsonPath("$.error.code").isEqualTo("too_many_failed_authentications");
        models(DEMO_KEY).expectStatus().isEqualTo(429);
    }
}
