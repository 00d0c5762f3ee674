package dev.genaiplatform.retrieval.cli;

import dev.genaiplatform.retrieval.ingest.DocumentParser;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Ingests a whole folder through the public API, the way a client would: uploads every supported file
 * (.md, .txt, .html, .pdf) under it, adds them to a vector store as one file batch, and draws a progress bar until
 * every file is {@code completed} or {@code failed}. Uploading is idempotent, so running it twice adds nothing.
 *
 * <pre>
 * RETRIEVAL_TOKEN=&lt;internal token or, through the gateway, an API key&gt; \
 *   java -cp retrieval-exec.jar -Dloader.main=dev.genaiplatform.retrieval.cli.IngestFolder \
 *   org.springframework.boot.loader.launch.PropertiesLauncher &lt;folder&gt; [base-url] [vector-store-id]
 * </pre>
 * Without a store id it creates one named after the folder. Exit code 0 when every file completed, 1 otherwise.
 */
public final class IngestFolder {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int BAR = 30;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String baseUrl;
    private final String token;
    private final PrintStream out;

    public IngestFolder(String baseUrl, String token, PrintStream out) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.token = token;
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1 || System.getenv("RETRIEVAL_TOKEN") == null) {
            System.err.println("usage: RETRIEVAL_TOKEN=... IngestFolder <folder> [base-url, default http://127.0.0.1:8080] [vector-store-id]");
            System.exit(2);
        }
        var command = new IngestFolder(args.length > 1 ? args[1] : "http://127.0.0.1:8080", System.getenv("RETRIEVAL_TOKEN"), System.out);
        System.exit(command.run(Path.of(args[0]), args.length > 2 ? args[2] : null).failed() == 0 ? 0 : 1);
    }

    /** What happened: the store, and how many files ended each way. */
    public record Outcome(String vectorStoreId, int completed, int failed, int skipped) {
    }

    public Outcome run(Path folder, String storeId) throws IOException, InterruptedException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(folder)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        List<String> ids = new ArrayList<>();
        int skipped = 0;
        for (Path file : files) {
            if (!DocumentParser.supports(file.getFileName().toString()) || Files.size(file) == 0) {
                skipped++;
                continue;
            }
            JsonNode uploaded = upload(file);
            ids.add(uploaded.path("id").asString());
            out.printf("\ruploaded %d/%d %s", ids.size(), files.size() - skipped, " ".repeat(10));
        }
        out.println();
        String store = storeId != null ? storeId
                : send("POST", "/v1/vector_stores", Map.of("name", folder.getFileName().toString())).path("id").asString();
        if (ids.isEmpty()) {
            return new Outcome(store, 0, 0, skipped);
        }
        JsonNode batch = send("POST", "/v1/vector_stores/" + store + "/file_batches", Map.of("file_ids", ids));
        String batchId = batch.path("id").asString();
        JsonNode counts = batch.path("file_counts");
        while (counts.path("in_progress").asInt() > 0) {
            draw(counts);
            Thread.sleep(250);
            counts = send("GET", "/v1/vector_stores/" + store + "/file_batches/" + batchId, null).path("file_counts");
        }
        draw(counts);
        out.println();
        return new Outcome(store, counts.path("completed").asInt(), counts.path("failed").asInt(), skipped);
    }

    private void draw(JsonNode counts) {
        int total = Math.max(1, counts.path("total").asInt());
        int done = counts.path("completed").asInt() + counts.path("failed").asInt() + counts.path("cancelled").asInt();
        int filled = done * BAR / total;
        out.printf("\r[%s%s] %d/%d files, %d failed", "#".repeat(filled), "-".repeat(BAR - filled), done, total,
                counts.path("failed").asInt());
        out.flush();
    }

    private JsonNode upload(Path file) throws IOException, InterruptedException {
        String boundary = "----ingest-" + UUID.randomUUID();
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\nassistants\r\n--" + boundary
                + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + file.getFileName().toString().replace("\"", "")
                + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        HttpRequest request = authorised("/v1/files").header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.concat(HttpRequest.BodyPublishers.ofByteArray(head),
                        HttpRequest.BodyPublishers.ofFile(file), HttpRequest.BodyPublishers.ofByteArray(tail))).build();
        return answer(request, file.toString());
    }

    private JsonNode send(String method, String path, Object body) throws IOException, InterruptedException {
        HttpRequest.Builder request = authorised(path).header("Content-Type", "application/json");
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        return answer(request.build(), method + " " + path);
    }

    private HttpRequest.Builder authorised(String path) {
        return HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + token);
    }

    private JsonNode answer(HttpRequest request, String what) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300) {
            throw new IOException(what + " failed with " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }
}
