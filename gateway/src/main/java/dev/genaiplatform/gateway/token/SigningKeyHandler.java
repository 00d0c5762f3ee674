package dev.genaiplatform.gateway.token;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.genaiplatform.contracts.problem.ProblemType;
import dev.genaiplatform.gateway.problem.Problems;
import reactor.core.publisher.Mono;

import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * The two HTTP faces of the signing keys: the public JWK set every service verifies tokens with
 * ({@code GET /.well-known/jwks.json}, no key needed), and rotation on demand
 * ({@code POST /api/admin/signing-keys/rotate}, scope admin).
 */
public final class SigningKeyHandler {

    private final SigningKeys keys;

    public SigningKeyHandler(SigningKeys keys) {
        this.keys = keys;
    }

    public Mono<ServerResponse> jwks(ServerRequest request) {
        // Verifiers cache the set; the next key is already in it, so a few minutes of staleness is harmless.
        return ServerResponse.ok().contentType(MediaType.APPLICATION_JSON)
            .cacheControl(CacheControl.maxAge(5, TimeUnit.MINUTES))
            .bodyValue(keys.publicKeys().toJSONObject(true));
    }

    public Mono<ServerResponse> rotate(ServerRequest request) {
        try {
            return ServerResponse.ok().bodyValue(Map.of("kid", keys.rotate()));
        }
        catch (SigningKeyRing.TooEarlyException e) {
            ErrorResponseException problem = Problems.exception(ProblemType.CONFLICT, e.getMessage());
            problem.getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, e.waitFor().toSeconds())));
            return Mono.error(problem);
        }
    }
}
