package dev.genaiplatform.contracts.security;

import java.util.List;

/**
 * The short-lived signed token the gateway issues for each admitted request, and the only proof of the
 * caller that a service behind the gateway accepts. A bare {@code X-Tenant-Id} header proves nothing.
 *
 * <p>Format: a JWT signed by the gateway with an asymmetric key (ES256); the gateway publishes its current and
 * previous public keys as a JWK set at {@link #JWKS_PATH}, so keys rotate without downtime (a verifier
 * refetches the set when it meets an unknown {@code kid}). Services verify it with Spring Security's
 * resource-server support: signature, {@code iss}, {@code aud} and {@code exp}.
 *
 * <p>Where it travels:
 * <ul>
 *   <li>HTTP, gateway to service: {@code Authorization: Bearer <token>} (the client's API key never goes past
 *       the gateway).</li>
 *   <li>Kafka: the record header {@link #KAFKA_HEADER}, copied by the service that acts on the request onto every
 *       command and event it produces for it; consumers verify it and take the tenant from it, never from the
 *       payload or another header.</li>
 * </ul>
 */
public final class InternalToken {

    /** {@code iss}: who signs. */
    public static final String ISSUER = "genai-platform-gateway";
    /** {@code aud}: who may accept it. */
    public static final String AUDIENCE = "genai-platform-services";
    /** Path (on the gateway) of the JWK set with the public keys that verify tokens. */
    public static final String JWKS_PATH = "/.well-known/jwks.json";
    /** Kafka record header that carries the token. */
    public static final String KAFKA_HEADER = "platform-auth";

    /** Claim: the tenant id. */
    public static final String CLAIM_TENANT = "tenant";
    /** Claim {@code sub}: the API key id (never the key). */
    public static final String CLAIM_KEY_ID = "sub";
    /** Claim: the key's scopes, space separated, as OAuth's {@code scope}. */
    public static final String CLAIM_SCOPE = "scope";
    /** Claim: the models this key may use (array of client-facing model names). */
    public static final String CLAIM_MODELS = "models";
    /** Claim: the request id the gateway assigned. */
    public static final String CLAIM_REQUEST_ID = "rid";
    /** Claim: the end user named by the client ({@code user} in OpenAI's request, or a header), if any. */
    public static final String CLAIM_USER = "usr";
    /** Claim: the user's access groups for document-level permissions (array), if any. */
    public static final String CLAIM_GROUPS = "groups";
    /**
     * Claim: the request's deadline, epoch milliseconds. Services stop work past it. {@code exp} is a little
     * later (the deadline plus clock skew) so a stream's tail still verifies.
     */
    public static final String CLAIM_DEADLINE = "deadline";

    /**
     * Claim: present only on a grant, a longer-lived token the gateway mints for work that outlives the request
     * that started it; its value names the work ({@link #GRANT_BATCH}). A grant carries the same tenant, key,
     * models and user as the request that asked for it, and its {@code exp} and {@code deadline} are the work's
     * own end (a batch's completion window), not the request's.
     */
    public static final String CLAIM_GRANT = "grant";
    /** {@link #CLAIM_GRANT} value: runs the lines of one batch (scope {@code chat} only) until its window closes. */
    public static final String GRANT_BATCH = "batch";

    /** Key scopes. A key holds one or more; each API needs one. */
    public static final String SCOPE_CHAT = "chat";
    public static final String SCOPE_DOCUMENTS = "documents";
    public static final String SCOPE_AGENT = "agent";
    public static final String SCOPE_EVALUATION = "evaluation";
    public static final String SCOPE_ADMIN = "admin";
    public static final List<String> ALL_SCOPES = List.of(SCOPE_CHAT, SCOPE_DOCUMENTS, SCOPE_AGENT, SCOPE_EVALUATION, SCOPE_ADMIN);

    private InternalToken() {
    }
}
