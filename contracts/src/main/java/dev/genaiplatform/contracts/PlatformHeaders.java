package dev.genaiplatform.contracts;

/**
 * Kafka record headers the platform relies on. Context travels in headers, not in payloads, so that
 * every record type carries it the same way and a consumer can route or log before parsing the body.
 *
 * <ul>
 *   <li>Correlation of a request with its reply uses Spring Kafka's {@code kafka_correlationId} and
 *       {@code kafka_replyTopic} headers, set by the replying template.</li>
 *   <li>Trace context uses the W3C {@code traceparent} header, written by Micrometer's Kafka observation.</li>
 * </ul>
 */
public final class PlatformHeaders {

    /** The tenant a record belongs to; services must not act on a record without it. */
    public static final String TENANT_ID = "platform-tenant-id";

    /** The internal token of the request that caused this record; see {@link dev.genaiplatform.contracts.security.InternalToken}. */
    public static final String AUTHORIZATION = dev.genaiplatform.contracts.security.InternalToken.KAFKA_HEADER;

    /** The id of the client request that caused this record (the chat completion id), for logs and joins. */
    public static final String REQUEST_ID = "platform-request-id";

    private PlatformHeaders() {
    }
}
