package dev.genaiplatform.launcher;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * A tiny OpenTelemetry collector for tests: an HTTP server taking OTLP/HTTP protobuf on {@code /v1/traces} (anything
 * else, such as {@code /v1/metrics}, is accepted and dropped) and keeping, per span, the service that sent it, its
 * trace id and its name. The protobuf is decoded by hand, only the fields needed: {@code ExportTraceServiceRequest} →
 * {@code ResourceSpans} (1) → {@code Resource} (1) attributes (1) and {@code ScopeSpans} (2) → {@code Span} (2) with
 * {@code trace_id} (1), {@code span_id} (2), {@code parent_span_id} (4), {@code name} (5), {@code kind} (6).
 */
final class OtlpTraceReceiver implements AutoCloseable {

    /** One received span. {@code kind}: 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
    record Span(String service, String traceId, String spanId, String parentSpanId, String name, int kind) {
    }

    /** The shared platform exports every request's spans for a whole test run: keep the newest this many. */
    private static final int MAX_SPANS = 100_000;

    private final HttpServer server;
    private final Deque<Span> spans = new ArrayDeque<>();

    OtlpTraceReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.createContext("/", this::handle);
        server.start();
    }

    /** What services are given as {@code OTEL_EXPORTER_OTLP_ENDPOINT}. */
    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    List<Span> spans() {
        synchronized (spans) {
            return List.copyOf(spans);
        }
    }

    List<Span> trace(String traceId) {
        return spans().stream().filter(span -> span.traceId().equals(traceId)).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
                try (InputStream unzipped = new GZIPInputStream(new ByteArrayInputStream(body))) {
                    body = unzipped.readAllBytes();
                }
            }
            if (exchange.getRequestURI().getPath().endsWith("/v1/traces")) {
                List<Span> received = decode(body);
                synchronized (spans) {
                    spans.addAll(received);
                    while (spans.size() > MAX_SPANS) {
                        spans.removeFirst();
                    }
                }
            }
            exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, -1);
        }
    }

    static List<Span> decode(byte[] request) {
        List<Span> decoded = new ArrayList<>();
        for (Field resourceSpans : fields(request)) {
            if (resourceSpans.number() != 1) {
                continue;
            }
            String service = "";
            List<byte[]> scopeSpans = new ArrayList<>();
            for (Field field : fields(resourceSpans.bytes())) {
                if (field.number() == 1) {
                    service = serviceName(field.bytes());
                } else if (field.number() == 2) {
                    scopeSpans.add(field.bytes());
                }
            }
            for (byte[] scope : scopeSpans) {
                for (Field span : fields(scope)) {
                    if (span.number() == 2) {
                        decoded.add(span(service, span.bytes()));
                    }
                }
            }
        }
        return decoded;
    }

    private static String serviceName(byte[] resource) {
        for (Field attribute : fields(resource)) {
            if (attribute.number() != 1) {
                continue;
            }
            String key = null;
            String value = null;
            for (Field part : fields(attribute.bytes())) {
                if (part.number() == 1) {
                    key = new String(part.bytes(), StandardCharsets.UTF_8);
                } else if (part.number() == 2) {
                    for (Field any : fields(part.bytes())) {
                        if (any.number() == 1) {
                            value = new String(any.bytes(), StandardCharsets.UTF_8);
                        }
                    }
                }
            }
            if ("service.name".equals(key)) {
                return value;
            }
        }
        return "";
    }

    private static Span span(String service, byte[] span) {
        String traceId = "";
        String spanId = "";
        String parent = "";
        String name = "";
        int kind = 0;
        for (Field field : fields(span)) {
            switch (field.number()) {
                case 1 -> traceId = HexFormat.of().formatHex(field.bytes());
                case 2 -> spanId = HexFormat.of().formatHex(field.bytes());
                case 4 -> parent = HexFormat.of().formatHex(field.bytes());
                case 5 -> name = new String(field.bytes(), StandardCharsets.UTF_8);
                case 6 -> kind = (int) field.varint();
                default -> { }
            }
        }
        return new Span(service, traceId, spanId, parent, name, kind);
    }

    /** One protobuf field: its number and either its varint value or its length-delimited bytes. */
    private record Field(int number, long varint, byte[] bytes) {
    }

    private static List<Field> fields(byte[] message) {
        List<Field> fields = new ArrayList<>();
        int[] at = {0};
        while (at[0] < message.length) {
            long tag = varint(message, at);
            int number = (int) (tag >>> 3);
            switch ((int) (tag & 7)) {
                case 0 -> fields.add(new Field(number, varint(message, at), new byte[0]));
                case 1 -> at[0] += 8;
                case 2 -> {
                    int length = (int) varint(message, at);
                    byte[] bytes = java.util.Arrays.copyOfRange(message, at[0], at[0] + length);
                    at[0] += length;
                    fields.add(new Field(number, 0, bytes));
                }
                case 5 -> at[0] += 4;
                default -> throw new IllegalArgumentException("unsupported protobuf wire type in tag " + tag);
            }
        }
        return fields;
    }

    private static long varint(byte[] message, int[] at) {
        long value = 0;
        for (int shift = 0; ; shift += 7) {
            byte b = message[at[0]++];
            value |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
