package dev.genaiplatform.simulator.faults;

import dev.genaiplatform.simulator.JsonSchemas;
import dev.genaiplatform.simulator.ProviderLimitsServerTest;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import reactor.util.function.Tuple2;
import tools.jackson.databind.json.JsonMapper;

import java.io.ByteArrayOutputStream;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every fault kind over real HTTP, asked for with the {@code x-sim-fault} header or by configuration. */
@ProviderLimitsServerTest
class FaultsHttpTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration HANG_GUARD = Duration.ofSeconds(20);
    static final String SYSTEM = "Context passages:\n\n[1] (source: gateway.md > Limits)\nThe gateway limits request "
            + "rates per tenant with a token bucket kept in Redis. Each tenant gets its own bucket and a small burst "
            + "allowance, so one noisy tenant cannot starve the others.";
    static final String QUESTION = "How does the gateway limit request rates per tenant?";

    @LocalServerPort
    int port;
    @Autowired
    MeterRegistry meters;

    private WebTestClient client;

    @BeforeEach
    void connect() {
        client = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port).responseTimeout(HANG_GUARD).build();
    }

    @Test
    void serverErrorIsOpenAis500() {
        post("server-error", request(false)).expectStatus().isEqualTo(500)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                .expectBody().json("""
                        {"error":{"message":"The server had an error while processing your request. Sorry about that!",
                          "type":"server_error","param":null,"code":null}}""", true);
    }

    @Test
    void badGatewayIsAProxysHtmlPageNotJson() {
        post("bad-gateway", request(false)).expectStatus().isEqualTo(502)
                .expectHeader().contentTypeCompatibleWith(MediaType.TEXT_HTML)
                .expectBody(String.class).value(body -> assertThat(body).contains("<title>502 Bad Gateway</title>"));
    }

    @Test
    void unavailableIs503WithTheRetryAfterAsked() {
        post("unavailable=7", request(false)).expectStatus().isEqualTo(503)
                .expectHeader().valueEquals(HttpHeaders.RETRY_AFTER, "7")
                .expectBody()
                .jsonPath("$.error.type").isEqualTo("server_error")
                .jsonPath("$.error.message").isEqualTo("The engine is currently overloaded, please try again later.");
    }

    @Test
    void aRateLimitStormIsOpenAis429WhateverTheRealAllowance() {
        post("rate-limit-storm", request(false)).expectStatus().isEqualTo(429)
                .expectHeader().valueEquals(HttpHeaders.RETRY_AFTER, "1")
                .expectHeader().valueEquals("x-ratelimit-remaining-requests", "0")
                .expectHeader().valueEquals("x-ratelimit-limit-requests", "3")
                .expectBody()
                .jsonPath("$.error.type").isEqualTo("requests")
                .jsonPath("$.error.code").isEqualTo("rate_limit_exceeded")
                .jsonPath("$.error.param").isEmpty();
    }

    @Test
    void contextLengthExceededIsOpenAis400WithNumbersThatAgree() {
        post("context-length-exceeded", request(false)).expectStatus().isBadRequest()
                .expectBody()
                .jsonPath("$.error.type").isEqualTo("invalid_request_error")
                .jsonPath("$.error.param").isEqualTo("messages")
                .jsonPath("$.error.code").isEqualTo("context_length_exceeded")
                .jsonPath("$.error.message").value(String.class, message -> {
                    Matcher numbers = Pattern.compile("^This model's maximum context length is (\\d+) tokens\\. However, your "
                            + "messages resulted in (\\d+) tokens\\. Please reduce the length of the messages\\.$").matcher(message);
                    assertThat(numbers.matches()).as(message).isTrue();
                    assertThat(Integer.parseInt(numbers.group(2))).isGreaterThan(Integer.parseInt(numbers.group(1)));
                });
    }

    @Test
    void aHangNeverAnswersAndTheClientsTimeoutFires() {
        double before = faults("hang");
        HttpRequest hanging = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/chat/completions"))
                .header("Content-Type", "application/json").header(FaultInjectionFilter.HEADER, "hang")
                .header("Authorization", "Bearer " + newKey())
                // long enough for a loaded machine to reach the fault (a client that gives up sooner cancels the request
                // before the simulator has read it, and nothing hangs or is counted); the hang itself never ends
                .timeout(Duration.ofSeconds(3)).POST(HttpRequest.BodyPublishers.ofString(request(false))).build();

        assertThatThrownBy(() -> HttpClient.newHttpClient().send(hanging, HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(HttpTimeoutException.class);
        assertThat(faults("hang")).isEqualTo(before + 1);
        post(null, request(false)).expectStatus().isOk(); // the server is not stuck
    }

    @Test
    void slowFirstTokenDelaysTheAnswerButNotItsContent() {
        long start = System.nanoTime();

        JsonNode body = post("slow-first-token=200", request(false)).expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();

        // a lower bound only: the delay must have happened; how fast the rest was is not this test's business
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
        assertThat(body.at("/choices/0/message/content").asString()).contains("[1]");
        assertThat(body.at("/choices/0/finish_reason").asString()).isEqualTo("stop");
    }

    @Test
    void slowTokensTrickleAWholeStreamOneDelayPerEventAfterTheRoleChunk() {
        List<Tuple2<Long, String>> events = post("slow-tokens=30", request(true)).expectStatus().isOk()
                .returnResult(String.class).getResponseBody().elapsed().collectList().block(HANG_GUARD);

        assertThat(events).hasSizeGreaterThan(3);
        assertThat(events.getFirst().getT2()).contains("\"role\":\"assistant\"");
        assertThat(events.getLast().getT2()).isEqualTo("[DONE]");
        assertThat(events.get(events.size() - 2).getT2()).contains("\"finish_reason\":\"stop\"");
        // a lower bound only, with room for transit jitter: the events after the first waited their turns
        long afterFirst = events.stream().skip(1).mapToLong(Tuple2::getT1).sum();
        assertThat(afterFirst).isGreaterThanOrEqualTo((events.size() - 1) * 30L * 8 / 10);
    }

    @Test
    void slowTokensHoldAWholeAnswerAsLongAsItsStreamWouldHaveTaken() {
        long start = System.nanoTime();

        JsonNode body = post("slow-tokens=20", request(false)).expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();

        int tokens = body.at("/usage/completion_tokens").asInt();
        assertThat(tokens).isGreaterThan(1);
        // one wait per token piece; a piece is at least one token except for a multi-token character, none here
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(20L * tokens * 8 / 10));
        assertThat(body.at("/choices/0/finish_reason").asString()).isEqualTo("stop");
    }

    @Test
    void streamCutSendsTheRoleAndNChunksThenClosesWithoutDoneOrTheEndOfTheChunkedBody() throws IOException {
        RawResponse response = raw("stream-cut=3", request(true));

        assertThat(response.head()).startsWith("HTTP/1.1 200").containsIgnoringCase("transfer-encoding: chunked");
        List<String> events = Arrays.stream(response.body().split("\n")).filter(line -> line.startsWith("data: ")).toList();
        assertThat(events).hasSize(4);
        assertThat(events.getFirst()).contains("\"role\":\"assistant\"");
        assertThat(response.body()).doesNotContain("[DONE]").doesNotContain("finish_reason\":\"stop");
        assertThat(response.body()).doesNotEndWith("0\r\n\r\n"); // the terminating zero-length chunk never came
    }

    @Test
    void streamCutOfAWholeCompletionClosesBeforeTheAnnouncedContentLength() throws IOException {
        RawResponse response = raw("stream-cut", request(false));

        Matcher length = Pattern.compile("(?i)content-length: (\\d+)").matcher(response.head());
        assertThat(length.find()).isTrue();
        int announced = Integer.parseInt(length.group(1));
        assertThat(response.bodyBytes()).isPositive().isLessThan(announced);
    }

    @Test
    void malformedChunkBreaksOneEventAndTheStreamGoesOn() {
        List<String> events = stream("malformed-chunk=2", request(true));

        assertThat(events.getLast()).isEqualTo("[DONE]");
        List<String> broken = events.stream().filter(event -> !event.equals("[DONE]") && !isJson(event)).toList();
        assertThat(broken).hasSize(1);
        assertThat(events.indexOf(broken.getFirst())).isEqualTo(2); // the role chunk is 0
        assertThat(events.get(events.size() - 2)).contains("\"finish_reason\":\"stop\"");
    }

    @Test
    void malformedChunkOfAWholeCompletionIsABodyThatIsNotJson() {
        String body = post("malformed-chunk", request(false)).expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();

        assertThat(body).startsWith("{\"id\":\"chatcmpl-");
        assertThat(isJson(body)).isFalse();
    }

    @Test
    void contentFilterEndsTheAnswerEarlyWithItsFinishReason() {
        JsonNode whole = post("content-filter=3", request(false)).expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        List<String> events = stream("content-filter=3", request(true));

        assertThat(whole.at("/choices/0/finish_reason").asString()).isEqualTo("content_filter");
        assertThat(whole.at("/usage/completion_tokens").asInt()).isEqualTo(3);
        assertThat(events.get(events.size() - 2)).contains("\"finish_reason\":\"content_filter\"");
        assertThat(events).hasSize(1 + 3 + 1 + 1); // role, three tokens, finish, [DONE]
    }

    @Test
    void lengthCutsTheAnswerWithFinishReasonLength() {
        JsonNode whole = post("length=4", request(false)).expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();

        assertThat(whole.at("/choices/0/finish_reason").asString()).isEqualTo("length");
        assertThat(whole.at("/usage/completion_tokens").asInt()).isEqualTo(4);
    }

    @Test
    void aConfiguredRuleInjectsItsFaultIntoEveryRequestToItsModel() {
        JsonNode large = post(null, request(false).replace("sim-small", "sim-large")).expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        JsonNode small = post(null, request(false)).expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();

        assertThat(large.at("/choices/0/finish_reason").asString()).isEqualTo("length");
        assertThat(large.at("/usage/completion_tokens").asInt()).isEqualTo(2);
        assertThat(small.at("/choices/0/finish_reason").asString()).isEqualTo("stop");
    }

    @Test
    void anUnknownFaultIsA400ListingTheValidKinds() {
        post("gremlins", request(false)).expectStatus().isBadRequest()
                .expectBody()
                .jsonPath("$.error.type").isEqualTo("invalid_request_error")
                .jsonPath("$.error.param").isEqualTo("x-sim-fault")
                .jsonPath("$.error.code").isEqualTo("invalid_value")
                .jsonPath("$.error.message").value(String.class, message -> assertThat(message)
                        .startsWith("Unknown fault 'gremlins' in header x-sim-fault. Valid kinds: server-error,")
                        .contains("malformed-chunk", "content-filter", "length"));
    }

    @Test
    void countsInjectedFaultsByModelAndKind() {
        double before = faults("server-error");

        post("server-error", request(false)).expectStatus().isEqualTo(500);

        assertThat(faults("server-error")).isEqualTo(before + 1);
        assertThat(meters.find("simulator.requests").tags("model", "sim-small", "status", "500").counter()).isNotNull();
    }

    @Test
    void schemaViolationAnswersWellFormedJsonThatFailsTheRequestedSchema() {
        String schema = "{\"type\":\"object\",\"properties\":{\"answer\":{\"type\":\"string\"},"
                + "\"confidence\":{\"type\":\"number\"}},\"required\":[\"answer\",\"confidence\"],"
                + "\"additionalProperties\":false}";
        String body = request(false).replace("\"stream\":false", "\"stream\":false,\"response_format\":{\"type\":"
                + "\"json_schema\",\"json_schema\":{\"name\":\"answer\",\"strict\":true,\"schema\":" + schema + "}}");

        String valid = post(null, body).expectStatus().isOk().expectBody(JsonNode.class).returnResult()
                .getResponseBody().at("/choices/0/message/content").asString();
        String broken = post("schema-violation", body).expectStatus().isOk().expectBody(JsonNode.class).returnResult()
                .getResponseBody().at("/choices/0/message/content").asString();

        assertThat(JsonSchemas.violations(JSON.readTree(schema), JSON.readTree(valid))).isEmpty();
        assertThat(JsonSchemas.violations(JSON.readTree(schema), JSON.readTree(broken))).isNotEmpty();
        String streamed = stream("schema-violation", body.replace("\"stream\":false", "\"stream\":true")).stream()
                .filter(event -> !"[DONE]".equals(event)).map(JSON::readTree)
                .map(chunk -> chunk.at("/choices/0/delta/content").asString(""))
                .collect(java.util.stream.Collectors.joining());
        assertThat(streamed).isEqualTo(broken);
    }

    @Test
    void schemaViolationLeavesATextAnswerAlone() {
        JsonNode body = post("schema-violation", request(false)).expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();

        assertThat(body.at("/choices/0/message/content").asString()).contains("[1]");
    }

    private double faults(String kind) {
        Counter counter = meters.find("simulator.faults").tags("model", "sim-small", "kind", kind).counter();
        return counter == null ? 0 : counter.count();
    }

    private WebTestClient.ResponseSpec post(String fault, String body) {
        WebTestClient.RequestBodySpec spec = client.post().uri("/v1/chat/completions").contentType(MediaType.APPLICATION_JSON)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + newKey());
        if (fault != null) {
            spec = spec.header(FaultInjectionFilter.HEADER, fault);
        }
        return spec.bodyValue(body.getBytes(StandardCharsets.UTF_8)).exchange();
    }

    private List<String> stream(String fault, String body) {
        return post(fault, body).expectStatus().isOk().returnResult(String.class).getResponseBody()
                .collectList().block(HANG_GUARD);
    }

    /** Reads a response byte for byte until the server closes the connection, as no HTTP client would let us. */
    private RawResponse raw(String fault, String body) throws IOException {
        byte[] json = body.getBytes(StandardCharsets.UTF_8);
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout((int) HANG_GUARD.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Authorization: Bearer " + newKey() + "\r\n" + FaultInjectionFilter.HEADER + ": " + fault + "\r\n"
                    + "Content-Length: " + json.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(json);
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            in.transferTo(received); // returns only when the server closes the connection
            String text = received.toString(StandardCharsets.UTF_8);
            int split = text.indexOf("\r\n\r\n");
            return new RawResponse(text.substring(0, split), text.substring(split + 4),
                    received.size() - text.substring(0, split + 4).getBytes(StandardCharsets.UTF_8).length);
        }
    }

    private record RawResponse(String head, String body, int bodyBytes) {
    }

    private static boolean isJson(String text) {
        try {
            JSON.readTree(text);
            return true;
        } catch (JacksonException e) {
            return false;
        }
    }

    static String request(boolean stream) {
        return "{\"model\":\"sim-small\",\"stream\":" + stream + ",\"messages\":[{\"role\":\"system\",\"content\":"
                + JSON.writeValueAsString(SYSTEM) + "},{\"role\":\"user\",\"content\":\"" + QUESTION + "\"}]}";
    }

    private static String newKey() {
        return "sk-test-" + UUID.randomUUID();
    }
}
