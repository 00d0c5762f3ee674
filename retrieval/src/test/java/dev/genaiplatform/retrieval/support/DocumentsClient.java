package dev.genaiplatform.retrieval.support;

import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;

import static org.awaitility.Awaitility.await;

/** Plain HTTP calls to the documents API as one caller (a token), answering status and parsed body. */
public final class DocumentsClient {

    /** An HTTP answer. */
    public record Answer(int status, String contentType, JsonNode body) {
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final RestClient http;
    private final String token;
    private final int port;

    public DocumentsClient(int port, String token) {
        this.http = RestClient.builder().baseUrl("http://127.0.0.1:" + port).build();
        this.token = token;
        this.port = port;
    }

    /** GET of a path that is already percent-encoded (sent exactly as given, no template expansion). */
    public Answer getEncoded(String encodedPath) {
        java.net.URI uri = java.net.URI.create("http://127.0.0.1:" + port + encodedPath);
        return exchange(HttpMethod.GET, null, spec -> { }, uri);
    }

    /** The citation source of a chunk: its id with {@code #} percent-encoded and its slashes kept. */
    public Answer source(String chunkId) {
        return getEncoded("/api/retrieval/sources/" + chunkId.replace("%", "%25").replace("#", "%23").replace(" ", "%20"));
    }

    /** A raw HTTP answer: status, content type and the body's exact bytes. */
    public record RawAnswer(int status, String contentType, byte[] body) {
    }

    public Answer upload(String filename, byte[] bytes, String accessGroups) {
        return upload(filename, bytes, accessGroups, "assistants");
    }

    public Answer upload(String filename, byte[] bytes, String accessGroups, String purpose) {
        var form = new LinkedMultiValueMap<String, Object>();
        form.add("file", new ByteArrayResource(bytes) {
            @Override
            public String getFilename() {
                return filename;
            }
        });
        form.add("purpose", purpose);
        if (accessGroups != null) {
            form.add("access_groups", accessGroups);
        }
        return exchange(HttpMethod.POST, "/v1/files", spec -> spec.contentType(MediaType.MULTIPART_FORM_DATA).body(form));
    }

    /** GET answering the body's bytes unread (for file content). */
    public RawAnswer getBytes(String path) {
        RestClient.RequestHeadersSpec<?> spec = http.get().uri(path);
        if (token != null) {
            spec.header(HttpHeaders.AUTHORIZATION, "Bearer " + token);
        }
        return spec.exchange((req, response) -> new RawAnswer(response.getStatusCode().value(),
                response.getHeaders().getContentType() == null ? "" : response.getHeaders().getContentType().toString(),
                response.getBody().readAllBytes()));
    }

    public Answer post(String path, Object body) {
        return exchange(HttpMethod.POST, path, spec -> spec.contentType(MediaType.APPLICATION_JSON).body(body));
    }

    public Answer get(String path) {
        return exchange(HttpMethod.GET, path, spec -> { });
    }

    public Answer delete(String path) {
        return exchange(HttpMethod.DELETE, path, spec -> { });
    }

    /** Creates a store and adds the file; waits until its ingestion ends and returns the store file object. */
    public JsonNode ingest(String storeId, String fileId, Map<String, Object> attributes) {
        Answer added = post("/v1/vector_stores/" + storeId + "/files", Map.of("file_id", fileId, "attributes", attributes));
        if (added.status() != 200) {
            throw new AssertionError("adding " + fileId + " failed: " + added);
        }
        return awaitDone(storeId, fileId);
    }

    public JsonNode awaitDone(String storeId, String fileId) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() ->
                !"in_progress".equals(get("/v1/vector_stores/" + storeId + "/files/" + fileId).body().path("status").asString()));
        return get("/v1/vector_stores/" + storeId + "/files/" + fileId).body();
    }

    public String createStore(String name) {
        return post("/v1/vector_stores", Map.of("name", name)).body().path("id").asString();
    }

    public Answer search(String storeId, String query, Object filters) {
        return post("/v1/vector_stores/" + storeId + "/search",
                filters == null ? Map.of("query", query) : Map.of("query", query, "filters", filters));
    }

    private Answer exchange(HttpMethod method, String path, Consumer<RestClient.RequestBodySpec> request) {
        return exchange(method, path, request, null);
    }

    private Answer exchange(HttpMethod method, String path, Consumer<RestClient.RequestBodySpec> request, java.net.URI uri) {
        RestClient.RequestBodySpec spec = uri == null ? http.method(method).uri(path) : http.method(method).uri(uri);
        request.accept(spec);
        if (token != null) {
            spec.header(HttpHeaders.AUTHORIZATION, "Bearer " + token);
        }
        return spec.exchange((req, response) -> {
            byte[] body = response.getBody().readAllBytes();
            String type = response.getHeaders().getContentType() == null ? "" : response.getHeaders().getContentType().toString();
            JsonNode json = body.length == 0 ? JSON.missingNode() : type.contains("json") ? JSON.readTree(body)
                    : JSON.getNodeFactory().stringNode(new String(body, java.nio.charset.StandardCharsets.UTF_8));
            return new Answer(response.getStatusCode().value(), type, json);
        });
    }

    /** Same client with extra headers, e.g. a forged X-Tenant-Id. */
    public Answer getWithHeader(String path, String header, String value) {
        return exchange(HttpMethod.GET, path, spec -> spec.header(header, value));
    }
}
