package dev.genaiplatform.launcher;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Per-user document permissions through the front door (issue 8 item 5, end to end): an administrator puts users in
 * groups with the gateway's user directory, files are uploaded with access groups through {@code /v1/files}, and
 * every read goes through the gateway with the demo key and an {@code X-User-Id}: vector-store search (gateway →
 * retrieval over HTTP), a grounded chat naming the store (gateway → orchestrator → retrieval over Kafka, the groups
 * travelling only inside the signed internal token), and opening a cited passage. Each user sees the files of their
 * own groups and the file open to everyone, nothing else, in search results, in the chat's passages and citations,
 * and in the prompt the model received; a crafted filter cannot widen that; a change in the directory takes effect
 * within the gateway's key-cache ttl (polled, not slept).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DocumentGroupsThroughGatewayIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String TENANT = "demo";
    private static final String QUESTION = "What is the quarterly travel budget policy?";
    /** The gateway's {@code key-cache-ttl} (30 s by default) bounds how long an old group list may be used; plus slack. */
    private static final Duration DIRECTORY_CHANGE_BOUND = Duration.ofSeconds(90);

    // one word per file that appears nowhere else, so any leak of a passage shows in any text
    private static final String FINANCE_WORD = "marzipan";
    private static final String ENGINEERING_WORD = "trombone";
    private static final String EVERYONE_WORD = "lighthouse";

    private static String store;
    private static String financeFile;
    private static String engineeringFile;
    private static String everyoneFile;
    private static String adminKey;

    @BeforeAll
    static void usersGroupsAndFiles() throws Exception {
        adminKey = RunningPlatform.platform().secrets().get(PlatformSecrets.ADMIN_API_KEY);
        putUser("alice", "finance");
        putUser("bob", "engineering");

        financeFile = upload("finance-travel.md", """
                # Finance travel

                The quarterly travel budget policy for the finance team caps trips at forty thousand euros, \
                a rule the team calls %s.
                """.formatted(FINANCE_WORD), "finance");
        engineeringFile = upload("engineering-travel.md", """
                # Engineering travel

                The quarterly travel budget policy for the engineering team funds two conferences per quarter, \
                a rule the team calls %s.
                """.formatted(ENGINEERING_WORD), "engineering");
        everyoneFile = upload("everyone-travel.md", """
                # Travel for everyone

                The quarterly travel budget policy for everyone says every trip is booked through the travel desk, \
                a rule the company calls %s.
                """.formatted(EVERYONE_WORD), null);

        JsonNode created = json(send(documents("/v1/vector_stores", null)
                .POST(body(Map.of("name", "groups-e2e-" + UUID.randomUUID()))).build()), 200);
        store = created.get("id").asString();
        for (String file : List.of(financeFile, engineeringFile, everyoneFile)) {
            json(send(documents("/v1/vector_stores/" + store + "/files", null).POST(body(Map.of("file_id", file))).build()), 200);
        }
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            for (String file : List.of(financeFile, engineeringFile, everyoneFile)) {
                JsonNode status = json(send(documents("/v1/vector_stores/" + store + "/files/" + file, null).GET().build()), 200);
                assertThat(status.get("status").asString()).as(status.toString()).isEqualTo("completed");
            }
        });
    }

    @Test
    @Order(1)
    void searchShowsEachUserTheirGroupsFilesAndThePublicOneOnly() throws Exception {
        assertThat(searchedFiles("alice", null)).containsExactlyInAnyOrder(financeFile, everyoneFile);
        assertThat(searchedFiles("bob", null)).containsExactlyInAnyOrder(engineeringFile, everyoneFile);
        assertThat(searchedFiles("mallory", null)).as("a user the directory does not know").containsExactly(everyoneFile);
        assertThat(searchedFiles(null, null)).as("no X-User-Id at all").containsExactly(everyoneFile);
    }

    @Test
    @Order(2)
    void aCraftedFilterOrTheExactTextCannotWidenWhatAUserSees() throws Exception {
        // an 'or' whose 'ne' branch matches every chunk, with branches naming the groups, tenant and file fields
        Map<String, Object> crafted = Map.of("type", "or", "filters", List.of(
                Map.of("type", "eq", "key", "groups", "value", "finance"),
                Map.of("type", "in", "key", "groups", "value", List.of("finance", "engineering", "*")),
                Map.of("type", "eq", "key", "tenant", "value", TENANT),
                Map.of("type", "eq", "key", "fileId", "value", financeFile),
                Map.of("type", "ne", "key", "nothing", "value", "x")));

        assertThat(searchedFiles("bob", crafted)).containsExactlyInAnyOrder(engineeringFile, everyoneFile);
        assertThat(searchedFiles("mallory", crafted)).containsExactly(everyoneFile);
        // the finance passage word for word, as bob: still not found
        JsonNode exact = search("bob", "The quarterly travel budget policy for the finance team caps trips at forty "
                + "thousand euros, a rule the team calls " + FINANCE_WORD, crafted);
        assertThat(exact.get("data").toString()).as("hits (search_query echoes the query)").doesNotContain(FINANCE_WORD)
                .doesNotContain(financeFile);
    }

    @Test
    @Order(3)
    void aGroundedChatRetrievesCitesAndPromptsOnlyWhatTheUserMaySee() throws Exception {
        JsonNode alice = groundedChat("alice", false, Set.of(financeFile, everyoneFile), FINANCE_WORD,
                ENGINEERING_WORD);
        groundedChat("bob", false, Set.of(engineeringFile, everyoneFile), ENGINEERING_WORD, FINANCE_WORD);
        groundedChat("mallory", false, Set.of(everyoneFile), EVERYONE_WORD, FINANCE_WORD, ENGINEERING_WORD);

        // a passage alice was shown opens for her and is a 404 for bob, whose groups do not reach it
        String financeChunk = null;
        for (JsonNode passage : alice.at("/platform/retrieval/passages")) {
            if (financeFile.equals(passage.path("fileId").asString())) {
                financeChunk = passage.get("chunkId").asString();
            }
        }
        assertThat(financeChunk).as("alice's passages: " + alice.at("/platform/retrieval/passages")).isNotNull();
        assertThat(send(source("alice", financeChunk)).statusCode()).isEqualTo(200);
        HttpResponse<String> forBob = send(source("bob", financeChunk));
        assertThat(forBob.statusCode()).as(forBob.body()).isEqualTo(404);
        assertThat(forBob.body()).doesNotContain(FINANCE_WORD);
    }

    @Test
    @Order(4)
    void aChangeInTheUserDirectoryTakesEffectWithinTheKeyCacheTtl() throws Exception {
        putUser("alice", "engineering"); // out of finance, into engineering
        json(send(admin("/api/admin/tenants/" + TENANT + "/users/bob").DELETE().build()), 204); // bob: in no group

        await().atMost(DIRECTORY_CHANGE_BOUND).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                assertThat(searchedFiles("alice", null)).containsExactlyInAnyOrder(engineeringFile, everyoneFile));
        await().atMost(DIRECTORY_CHANGE_BOUND).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                assertThat(searchedFiles("bob", null)).containsExactly(everyoneFile));
        // and the chat follows the same token: no cached answer of the old groups, no finance passage
        groundedChat("alice", true, Set.of(engineeringFile, everyoneFile), ENGINEERING_WORD, FINANCE_WORD);
        groundedChat("bob", true, Set.of(everyoneFile), EVERYONE_WORD, FINANCE_WORD, ENGINEERING_WORD);
    }

    /**
     * Asks the question in a chat naming the store, as {@code user}, and checks the answer's passages (the trace) and
     * citations, and the prompt the model received: only {@code allowed} files, at least {@code ownWord}'s, none of
     * {@code forbiddenWords}.
     */
    private static JsonNode groundedChat(String user, boolean bypassCache, Set<String> allowed, String ownWord,
                                         String... forbiddenWords) throws Exception {
        send(HttpRequest.newBuilder(RunningPlatform.simulator("/sim/requests")).DELETE().build());
        HttpRequest.Builder request = documents("/v1/chat/completions", user).timeout(Duration.ofSeconds(60))
                .POST(body(Map.of("model", "sim-small", "vector_store_ids", List.of(store),
                        "messages", List.of(Map.of("role", "user", "content", QUESTION)))));
        if (bypassCache) {
            request.header("Cache-Control", "no-cache");
        }
        HttpResponse<String> response = send(request.build());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("X-Platform-Cache").orElse(""))
                .as("an answer retrieved for %s, not served from a cache", user).isNotEqualTo("hit").isNotEqualTo("semantic-hit");
        JsonNode answer = JSON.readTree(response.body());

        Set<String> passageFiles = new LinkedHashSet<>();
        Set<String> allowedChunks = new LinkedHashSet<>();
        for (JsonNode passage : answer.at("/platform/retrieval/passages")) {
            passageFiles.add(passage.path("fileId").asString());
            allowedChunks.add(passage.get("chunkId").asString());
        }
        assertThat(passageFiles).as("%s's passages", user).isSubsetOf(allowed).containsAll(allowed);
        JsonNode citations = answer.get("citations");
        assertThat(citations).as("%s's citations in %s", user, answer).isNotEmpty();
        for (JsonNode citation : citations) {
            assertThat(citation.get("chunkId").asString()).as("%s's citation", user).isIn(allowedChunks);
        }
        String content = answer.at("/choices/0/message/content").asString();
        String prompt = send(HttpRequest.newBuilder(RunningPlatform.simulator("/sim/requests")).GET().build()).body();
        assertThat(prompt).as("what the model received for %s", user).contains(ownWord);
        for (String forbidden : forbiddenWords) {
            assertThat(prompt).as("what the model received for %s", user).doesNotContain(forbidden);
            assertThat(content).as("%s's answer", user).doesNotContain(forbidden);
            assertThat(citations.toString()).doesNotContain(forbidden);
        }
        return answer;
    }

    private static List<String> searchedFiles(String user, Map<String, Object> filters) throws Exception {
        List<String> files = new ArrayList<>();
        for (JsonNode hit : search(user, QUESTION, filters).get("data")) {
            String file = hit.get("file_id").asString();
            if (!files.contains(file)) {
                files.add(file);
            }
        }
        return files;
    }

    private static JsonNode search(String user, String query, Map<String, Object> filters) throws Exception {
        Map<String, Object> request = filters == null ? Map.of("query", query, "max_num_results", 20)
                : Map.of("query", query, "max_num_results", 20, "filters", filters);
        return json(send(documents("/v1/vector_stores/" + store + "/search", user).POST(body(request)).build()), 200);
    }

    private static HttpRequest source(String user, String chunkId) throws Exception {
        // keep the id's '/', encode its '#' (retrieval README, citation sources)
        return documents("/api/retrieval/sources/" + chunkId.replace("#", "%23"), user).GET().build();
    }

    private static void putUser(String user, String... groups) throws Exception {
        JsonNode row = json(send(admin("/api/admin/tenants/" + TENANT + "/users/" + user)
                .PUT(body(Map.of("groups", List.of(groups)))).build()), 200);
        assertThat(row.get("groups").valueStream().map(JsonNode::asString).toList()).containsExactly(groups);
    }

    /** Uploads through the gateway's {@code /v1/files} with the platform's {@code access_groups} field. */
    private static String upload(String name, String text, String accessGroups) throws Exception {
        String boundary = "----groups-e2e-" + UUID.randomUUID();
        ByteArrayOutputStream multipart = new ByteArrayOutputStream();
        part(multipart, boundary, "form-data; name=\"purpose\"", null, "assistants".getBytes(StandardCharsets.UTF_8));
        if (accessGroups != null) {
            part(multipart, boundary, "form-data; name=\"access_groups\"", null, accessGroups.getBytes(StandardCharsets.UTF_8));
        }
        part(multipart, boundary, "form-data; name=\"file\"; filename=\"" + name + "\"", "text/markdown",
                text.getBytes(StandardCharsets.UTF_8));
        multipart.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpRequest request = documents("/v1/files", null)
                .setHeader("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(multipart.toByteArray())).build();
        return json(send(request), 200).get("id").asString();
    }

    private static void part(ByteArrayOutputStream out, String boundary, String disposition, String contentType, byte[] value) {
        StringBuilder head = new StringBuilder("--").append(boundary).append("\r\n")
                .append("Content-Disposition: ").append(disposition).append("\r\n");
        if (contentType != null) {
            head.append("Content-Type: ").append(contentType).append("\r\n");
        }
        out.writeBytes(head.append("\r\n").toString().getBytes(StandardCharsets.UTF_8));
        out.writeBytes(value);
        out.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
    }

    /** The demo key (scopes chat and documents), acting for {@code user} when not null. */
    private static HttpRequest.Builder documents(String path, String user) throws Exception {
        HttpRequest.Builder builder = HttpRequest.newBuilder(RunningPlatform.gateway(path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + RunningPlatform.DEMO_KEY)
                .header("Content-Type", "application/json");
        return user == null ? builder : builder.header("X-User-Id", user);
    }

    private static HttpRequest.Builder admin(String path) throws Exception {
        return HttpRequest.newBuilder(RunningPlatform.gateway(path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + adminKey)
                .header("Content-Type", "application/json");
    }

    private static HttpRequest.BodyPublisher body(Object value) {
        return HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(value));
    }

    private static HttpResponse<String> send(HttpRequest request) throws Exception {
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** The body as JSON after checking the status (null for an empty body). */
    private static JsonNode json(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as("%s %s: %s", response.request().method(), response.request().uri(),
                response.body()).isEqualTo(status);
        return response.body().isEmpty() ? null : JSON.readTree(response.body());
    }
}
