package dev.genaiplatform.gateway.budget;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;

/**
 * Reads the real token usage out of the answer as it passes to the client. A whole answer carries it in its
 * {@code usage} member; a stream in its last chunk, which exists only if the request asked for
 * {@code stream_options.include_usage}. When the gateway added that option itself, the usage chunk is kept
 * from the client, who did not ask for it and whose SDK might not expect a chunk without choices.
 *
 * <p>A stream is passed on event by event (an event is complete at its blank line): that is what lets one event
 * be dropped, and it delays nothing, since a client can use an event only once it is complete. Only
 * {@code \n\n}-separated events are recognised (what Spring and OpenAI send); anything else passes unchanged
 * and simply yields no usage. A whole answer is copied, up to 1 MiB, to be parsed once it has been sent.
 *
 * <p>Every stream passes through here (with the budget store down too), which is also what lets the stream's error
 * event ({@code streaming.StreamEndingResponse}, inside this decorator) start on an event boundary: an event cut
 * half-way by a broken backend never reaches the client.
 */
final class UsageCapturingResponse extends ServerHttpResponseDecorator {

    private static final int MAX_CAPTURED = 1024 * 1024;

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** What a read that completed no event yields (it is dropped at once). */
    private static final DataBuffer NOTHING_YET = DefaultDataBufferFactory.sharedInstance.allocateBuffer(0);

    private static final byte[] EVENT_END = "\n\n".getBytes(StandardCharsets.US_ASCII);

    private final boolean stream;

    private final boolean dropUsageChunk;

    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();

    private byte[] pending = new byte[0];

    private volatile Usage usage;

    UsageCapturingResponse(ServerHttpResponse delegate, boolean stream, boolean dropUsageChunk) {
        super(delegate);
        this.stream = stream;
        this.dropUsageChunk = dropUsageChunk;
    }

    /** The usage the answer reported, or null if it reported none (yet). */
    Usage usage() {
        if (usage == null && !stream && captured.size() > 0) {
            usage = parseUsage(captured.toByteArray());
        }
        return usage;
    }

    @Override
    public Mono<Void> writeWith(Publisher<? extends DataBuffer> body) {
        return super.writeWith(stream ? events(Flux.from(body)).concatWith(rest()) : copied(Flux.from(body)));
    }

    /**
     * Each part is what one socket read brought, which may end in the middle of an event: the incomplete rest waits
     * for the next part and goes out only at the very end. (Sending it at the end of each part let a usage chunk
     * split across two reads pass unrecognised: the client got it, and the reservation was never reconciled.)
     */
    @Override
    public Mono<Void> writeAndFlushWith(Publisher<? extends Publisher<? extends DataBuffer>> body) {
        if (!stream) {
            return super.writeAndFlushWith(Flux.from(body).map(part -> copied(Flux.from(part))));
        }
        // one flux of events for the whole stream, each in a group of its own: the operators are assembled once per
        // stream, not once per token (the proxy's groups are Flux.just(buffer), which concatMap takes out as they are)
        return super.writeAndFlushWith(events(Flux.from(body).concatMap(Flux::<DataBuffer>from)).concatWith(rest())
            .map(Flux::just));
    }

    private Flux<DataBuffer> copied(Flux<? extends DataBuffer> body) {
        return body.map(buffer -> {
            if (captured.size() + buffer.readableByteCount() <= MAX_CAPTURED) {
                byte[] bytes = new byte[buffer.readableByteCount()];
                int position = buffer.readPosition();
                buffer.read(bytes);
                buffer.readPosition(position);
                captured.writeBytes(bytes);
            }
            return (DataBuffer) buffer;
        });
    }

    /**
     * {@code map} and {@code filter}, not {@code handle} (nor {@code mapNotNull}, which Reactor builds on it): Reactor
     * restores the request's thread-local context (trace scope, MDC) around every {@code handle} call, and that showed
     * under every token in the profile.
     */
    private Flux<DataBuffer> events(Flux<? extends DataBuffer> body) {
        return body.map(buffer -> {
            if (passesAsItCame(buffer)) {
                return (DataBuffer) buffer;
            }
            byte[] bytes = new byte[buffer.readableByteCount()];
            buffer.read(bytes);
            DataBufferUtils.release(buffer);
            byte[] out = completeEvents(bytes);
            return out == null ? NOTHING_YET : bufferFactory().wrap(out);
        }).filter(buffer -> buffer != NOTHING_YET);
    }

    /**
     * Nearly every read of a stream is one token's event, whole: nothing waits before it, it ends with its blank line
     * and is not the usage chunk. Such a buffer goes on as it came, without a copy (it is the proxy client's pooled
     * buffer, which the server writes to its socket as is; a copy would be a heap array copied again on write).
     */
    private boolean passesAsItCame(DataBuffer buffer) {
        int length = buffer.readableByteCount();
        if (pending.length != 0 || length < 2 || buffer.getByte(buffer.writePosition() - 1) != '\n'
                || buffer.getByte(buffer.writePosition() - 2) != '\n') {
            return false;
        }
        // one bulk copy of the event (a few hundred bytes), then a scan of the array: reading the buffer byte by
        // byte (a bounds check, and on a direct buffer a memory-session check, per byte) showed under every token
        byte[] bytes = new byte[length];
        buffer.toByteBuffer(buffer.readPosition(), ByteBuffer.wrap(bytes), 0, length);
        return !containsUsage(bytes, 0, length);
    }

    /** What is left after the last complete event (normally nothing), once the body has ended. */
    private Mono<DataBuffer> rest() {
        return Mono.defer(() -> {
            byte[] rest = pending;
            pending = new byte[0];
            return rest.length == 0 ? Mono.empty() : Mono.just(bufferFactory().wrap(rest));
        });
    }

    /** The complete events in what arrived so far, minus a dropped usage chunk; the incomplete rest waits. */
    private byte[] completeEvents(byte[] arrived) {
        byte[] all = concat(pending, arrived);
        ByteArrayOutputStream out = null; // only when an event is dropped: otherwise the bytes pass as they came
        int start = 0;
        int kept = 0;
        for (int end = indexOf(all, start); end >= 0; end = indexOf(all, start)) {
            int next = end + EVENT_END.length;
            if (isUsageChunk(all, start, end)) {
                if (out == null) {
                    out = new ByteArrayOutputStream(all.length);
                    out.write(all, 0, start);
                }
            }
            else if (out != null) {
                out.write(all, start, next - start);
            }
            else {
                kept = next;
            }
            start = next;
        }
        pending = start == all.length ? new byte[0] : Arrays.copyOfRange(all, start, all.length);
        if (out != null) {
            return out.size() == 0 ? null : out.toByteArray();
        }
        return kept == 0 ? null : kept == all.length ? all : Arrays.copyOf(all, kept);
    }

    /** Whether the event is the usage chunk (remembering its usage); only a dropped one returns true. */
    private boolean isUsageChunk(byte[] all, int start, int end) {
        if (!containsUsage(all, start, end)) {
            return false; // a token event, nearly all of a stream: no copy, no decoding
        }
        String event = new String(all, start, end - start, StandardCharsets.UTF_8);
        for (String line : event.split("\n")) {
            if (line.startsWith("data:")) {
                Usage found = parseUsage(line.substring(5).trim().getBytes(StandardCharsets.UTF_8));
                if (found != null) {
                    usage = found;
                    return dropUsageChunk;
                }
            }
        }
        return false;
    }

    /**
     * The top-level {@code usage} member, read with the streaming parser: every other member (the answer, the
     * platform's trace of several kilobytes) is skipped token by token instead of being built into a tree.
     */
    static Usage parseUsage(byte[] json) {
        try (JsonParser parser = JSON.createParser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            for (JsonToken token = parser.nextToken(); token == JsonToken.PROPERTY_NAME; token = parser.nextToken()) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("usage".equals(name) && value == JsonToken.START_OBJECT) {
                    JsonNode usage = parser.readValueAsTree();
                    return new Usage(usage.path("prompt_tokens").asLong(0), usage.path("completion_tokens").asLong(0));
                }
                parser.skipChildren();
            }
            return null;
        }
        catch (JacksonException notJson) {
            return null;
        }
    }

    private static final byte[] USAGE_MEMBER = "\"usage\"".getBytes(StandardCharsets.US_ASCII);

    private static boolean containsUsage(byte[] bytes, int start, int end) {
        outer:
        for (int i = start; i + USAGE_MEMBER.length <= end; i++) {
            for (int j = 0; j < USAGE_MEMBER.length; j++) {
                if (bytes[i + j] != USAGE_MEMBER[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static int indexOf(byte[] bytes, int from) {
        for (int i = from; i + 1 < bytes.length; i++) {
            if (bytes[i] == '\n' && bytes[i + 1] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        if (a.length == 0) {
            return b;
        }
        byte[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    /** Tokens the model reported. */
    record Usage(long promptTokens, long completionTokens) {

        long total() {
            return promptTokens + completionTokens;
        }
    }
}
