package dev.genaiplatform.launcher.scenario;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.NullNode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The scenarios' only way into the platform: HTTP to the gateway with an API key, exactly what a client
 * application holds. Nothing here knows a service's own port.
 */
public final class Gateway {

    static final JsonMapper JSON = JsonMapper.builder().build();

    private final URI base;
    private final String apiKey;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public Gateway(URI base, String apiKey) {
        this.base = base;
        this.apiKey = apiKey;
    }

    public URI base() {
        return base;
    }

    /** A response, its headers and its body read as JSON where it is JSON (else a null node). */
    record Reply(int status, HttpHeaders headers, String text, JsonNode json, long millis) {

        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        JsonNode at(String pointer) {
            return json.at(pointer);
        }

        boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    /** One server-sent event's data, with the time it arrived after the request was sent. */
    record Event(String data, long millis) {
        JsonNode json() {
            return JSON.readTree(data);
        }
    }

    Reply get(String path) throws IOException, InterruptedException {
        return send(request(path).GET(), Map.of());
    }

    Reply delete(String path) throws IOException, InterruptedException {
        return send(request(path).DELETE(), Map.of());
    }

    Reply post(String path, Object body) throws IOException, InterruptedException {
        return post(path, body, Map.of());
    }

    Reply post(String path, Object body, Map<String, String> headers) throws IOException, InterruptedException {
        String json = body instanceof String s ? s : JSON.writeValueAsString(body);
        return send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)), headers);
    }

    /** A multipart upload, as {@code /v1/files} takes it: the file plus plain form fields. */
    Reply upload(String path, String filename, String contentType, byte[] content, Map<String, String> fields)
            throws IOException, InterruptedException {
        String boundary = "scenario-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (Map.Entry<String, String> field : fields.entrySet()) {
            body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field.getKey()
                    + "\"\r\n\r\n" + field.getValue() + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename
                + "\"\r\nContent-Type: " + contentType + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(content);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return send(request(path).header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())), Map.of());
    }

    /** A streamed chat completion: every {@code data:} line in order, ending with {@code [DONE]} when complete. */
    List<Event> stream(Object body, Map<String, String> headers) throws IOException, InterruptedException {
        HttpRequest.Builder builder = request("/v1/chat/completions").header("Content-Type", "application/json")
                .header("Accept", "text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        headers.forEach(builder::header);
        long start = System.nanoTime();
        HttpResponse<java.util.stream.Stream<String>> response = http.send(builder.build(),
                HttpResponse.BodyHandlers.ofLines());
        List<Event> events = new ArrayList<>();
        if (response.statusCode() != 200) {
            String problem = String.join("\n", response.body().toList());
            throw new IllegalStateException("stream refused with " + response.statusCode() + ": " + problem);
        }
        response.body().filter(line -> line.startsWith("data:"))
                .forEach(line -> events.add(new Event(line.substring(5).trim(), (System.nanoTime() - start) / 1_000_000)));
        return events;
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(120))
                .header("Authorization", "Bearer " + apiKey);
    }

    private Reply send(HttpRequest.Builder builder, Map<String, String> headers) throws IOException, InterruptedException {
        headers.forEach(builder::header);
        long start = System.nanoTime();
        HttpResponse<String> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
        long millis = (System.nanoTime() - start) / 1_000_000;
        return new Reply(response.statusCode(), response.headers(), response.body(), parse(response), millis);
    }

    private static JsonNode parse(HttpResponse<String> response) {
        String type = response.headers().firstValue("Content-Type").orElse("");
        if (!type.contains("json") || response.body().isBlank()) {
            return NullNode.getInstance();
        }
        try {
            return JSON.readTree(response.body());
        } catch (RuntimeException notJson) {
            return NullNode.getInstance();
        }
    }

    /** Whether anything answers as this gateway: a running platform to reuse. */
    public boolean answers() {
        try {
            return get("/v1/models").status() > 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }
}
