package dev.genaiplatform.gateway;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import dev.genaiplatform.contracts.Topics;
import dev.genaiplatform.contracts.problem.ProblemType;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Property-based fuzzing of the admin API over HTTP, against a real gateway on PostgreSQL, Redis and Kafka: random
 * and half-valid bodies, path ids, scopes, model lists, rate limits and budgets, with any content type and method.
 * Whatever comes in: never a 5xx, never a hang (every answer within the client's 15 s), every error an
 * {@code application/problem+json} of the platform's vocabulary, and a refused call leaves nothing behind: no
 * tenant, no key, no changed limit.
 */
class AdminApiFuzzIT {

    private static final String BASE_TENANT = "fuzz-base";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final AtomicLong SEQUENCE = new AtomicLong();

    private static EmbeddedKafkaKraftBroker broker;

    private static SecondGateway gateway;

    private static HttpClient http;

    @BeforeContainer
    static void start() {
        broker = new EmbeddedKafkaKraftBroker(1, 1, Topics.GATEWAY_API_KEY_REVOKED, Topics.GATEWAY_TENANT_LIMITS_CHANGED);
        broker.afterPropertiesSet();
        gateway = new SecondGateway(broker.getBrokersAsString(),
                "--platform.gateway.tenants.platform.rate-limit.replenish-rate=100000",
                "--platform.gateway.tenants.platform.rate-limit.burst-capacity=200000");
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        send("POST", "/api/admin/tenants", "application/json", """
                {"id":"%s","models":["sim-small","sim-large"],"rate_limit":{"replenish_rate":5,"burst_capacity":10}}"""
            .formatted(BASE_TENANT));
    }

    @AfterContainer
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (broker != null) {
            broker.destroy();
        }
    }

    @Property(tries = 400)
    void anyCallToTheAdminApiIsAnsweredWithSuccessOrAProblemNeverA5xx(@ForAll("methods") String method,
            @ForAll("paths") String path, @ForAll("contentTypes") String contentType, @ForAll("bodies") String body) {
        assertWellFormed(send(method, path, contentType, body));
    }

    @Property(tries = 300)
    void arbitraryBytesAsABodyAreAClientError(@ForAll("writePaths") String path, @ForAll byte[] body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(gatewayUrl() + path)).timeout(Duration.ofSeconds(15))
            .header("Authorization", "Bearer " + GatewayTestSupport.ADMIN_KEY).header("Content-Type", "application/json")
            .method(path.endsWith("/limits") || path.contains("/users/") ? "PUT" : "POST", HttpRequest.BodyPublishers.ofByteArray(body)).build();
        assertWellFormed(exchange(request));
    }

    @Property(tries = 300)
    void aRefusedTenantCreationCreatesNoTenant(@ForAll("tenantBodies") TenantBody tenant) throws Exception {
        HttpResponse<String> response = send("POST", "/api/admin/tenants", "application/json", tenant.json());
        assertWellFormed(response);
        boolean exists = count("select count(*) from tenant where id = ?", tenant.id()) == 1;
        assertThat(exists).as("tenant exists after %d: %s", response.statusCode(), tenant.json())
            .isEqualTo(response.statusCode() == 201);
    }

    @Property(tries = 300)
    void aRefusedKeyIssueIssuesNoKey(@ForAll("keyBodies") String body) throws Exception {
        long before = count("select count(*) from api_key where tenant_id = ?", BASE_TENANT);
        HttpResponse<String> response = send("POST", "/api/admin/tenants/" + BASE_TENANT + "/keys", "application/json", body);
        assertWellFormed(response);
        assertThat(count("select count(*) from api_key where tenant_id = ?", BASE_TENANT))
            .as("keys after %d: %s", response.statusCode(), body).isEqualTo(before + (response.statusCode() == 201 ? 1 : 0));
    }

    @Property(tries = 300)
    void aRefusedLimitsChangeChangesNoLimit(@ForAll("limitsBodies") String body) throws Exception {
        String before = limitsRow();
        HttpResponse<String> response = send("PUT", "/api/admin/tenants/" + BASE_TENANT + "/limits", "application/json", body);
        assertWellFormed(response);
        if (response.statusCode() != 200) {
            assertThat(limitsRow()).as("limits after %d: %s", response.statusCode(), body).isEqualTo(before);
        }
    }

    private static void assertWellFormed(HttpResponse<String> response) {
        int status = response.statusCode();
        assertThat(status).as("status for %s %s", response.request().method(), response.request().uri()).isLessThan(500);
        if (status >= 400) {
            assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("application/problem+json"));
            JsonNode problem = JSON.readTree(response.body());
            assertThat(problem.path("type").asString()).startsWith(ProblemType.TYPE_PREFIX);
            assertThat(problem.path("status").asInt()).isEqualTo(status);
            assertThat(problem.path("error").path("code").asString()).isNotBlank();
        }
    }

    // ---- what is sent

    @Provide
    Arbitrary<String> methods() {
        return Arbitraries.of("GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS");
    }

    @Provide
    Arbitrary<String> paths() {
        Arbitrary<String> tenant = Arbitraries.oneOf(Arbitraries.just(BASE_TENANT), Arbitraries.just("nobody"),
                Arbitraries.strings().ofMaxLength(70).map(AdminApiFuzzIT::encode),
                Arbitraries.strings().withChars("abcxyz019-").ofMinLength(1).ofMaxLength(70));
        Arbitrary<String> key = Arbitraries.oneOf(Arbitraries.strings().withChars("0123456789abcdef").ofLength(16),
                Arbitraries.strings().ofMaxLength(20).map(AdminApiFuzzIT::encode));
        return Arbitraries.oneOf(Arbitraries.just("/api/admin/tenants"), Arbitraries.just("/api/admin/signing-keys/rotate"),
                tenant.map(t -> "/api/admin/tenants/" + t), tenant.map(t -> "/api/admin/tenants/" + t + "/keys"),
                tenant.map(t -> "/api/admin/tenants/" + t + "/limits"), key.map(k -> "/api/admin/keys/" + k),
                key.map(k -> "/api/admin/keys/" + k + "/rotate"),
                Combinators.combine(tenant, users()).as((t, u) -> "/api/admin/tenants/" + t + "/users/" + u));
    }

    private static Arbitrary<String> users() {
        return Arbitraries.oneOf(Arbitraries.just("alice@example.com"),
                Arbitraries.strings().ofMaxLength(140).map(AdminApiFuzzIT::encode));
    }

    @Provide
    Arbitrary<String> writePaths() {
        return Arbitraries.of("/api/admin/tenants", "/api/admin/tenants/" + BASE_TENANT + "/keys",
                "/api/admin/tenants/" + BASE_TENANT + "/limits", "/api/admin/tenants/" + BASE_TENANT + "/users/fuzz");
    }

    @Provide
    Arbitrary<String> contentTypes() {
        return Arbitraries.of("application/json", "application/json", "application/json; charset=utf-8", "text/plain",
                "application/xml", "", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x");
    }

    @Provide
    Arbitrary<String> bodies() {
        Arbitrary<String> groups = Arbitraries.oneOf(json(2), Arbitraries.of("finance", "hr", "", "a,b", "a b", "x".repeat(70))
            .list().ofMaxSize(70).map(list -> "{\"groups\":" + array(list) + "}"));
        return Arbitraries.oneOf(json(3), tenantBodies().map(TenantBody::json), keyBodies(), limitsBodies(), groups,
                Arbitraries.strings().ofMaxLength(40), Arbitraries.just(""));
    }

    @Provide
    Arbitrary<TenantBody> tenantBodies() {
        Arbitrary<String> models = Arbitraries.oneOf(json(2),
                Arbitraries.of("sim-small", "sim-large", "", "a b", "x".repeat(200), "gpt/4:o").list().ofMaxSize(4)
                    .map(AdminApiFuzzIT::array));
        return Combinators.combine(Arbitraries.oneOf(Arbitraries.just("ok"), Arbitraries.strings().ofMaxLength(8)),
                models, rateLimits(), budgets(), extraMember())
            .as((idSuffix, m, rate, budget, extra) -> {
                String id = "fz-" + SEQUENCE.incrementAndGet() + sanitise(idSuffix);
                List<String> members = new ArrayList<>(List.of("\"id\":" + quote(id), "\"models\":" + m));
                rate.ifPresent(r -> members.add("\"rate_limit\":" + r));
                budget.ifPresent(b -> members.add("\"budget\":" + b));
                extra.ifPresent(members::add);
                return new TenantBody(id, "{" + String.join(",", members) + "}");
            });
    }

    @Provide
    Arbitrary<String> keyBodies() {
        Arbitrary<String> name = Arbitraries.oneOf(Arbitraries.of("\"app\"", "\"\"", "\"a/b\"", "null", "42",
                quote("n".repeat(200))), json(1));
        Arbitrary<String> scopes = Arbitraries.oneOf(json(2), Arbitraries.of("chat", "documents", "agent", "evaluation",
                "admin", "root", "", "CHAT").list().ofMaxSize(4).map(AdminApiFuzzIT::array));
        Arbitrary<String> models = Arbitraries.oneOf(json(2), Arbitraries.of("sim-small", "sim-large", "gpt-9", "")
            .list().ofMaxSize(3).map(AdminApiFuzzIT::array));
        return Combinators.combine(name, scopes, models, extraMember()).as((n, s, m, extra) ->
                "{\"name\":" + n + ",\"scopes\":" + s + ",\"models\":" + m + extra.map(e -> "," + e).orElse("") + "}");
    }

    @Provide
    Arbitrary<String> limitsBodies() {
        return Combinators.combine(rateLimits(), budgets(), extraMember()).as((rate, budget, extra) -> {
            List<String> members = new ArrayList<>();
            rate.ifPresent(r -> members.add("\"rate_limit\":" + r));
            budget.ifPresent(b -> members.add("\"budget\":" + b));
            extra.ifPresent(members::add);
            return "{" + String.join(",", members) + "}";
        });
    }

    private static Arbitrary<java.util.Optional<String>> rateLimits() {
        Arbitrary<String> bucket = Combinators.combine(number(), number(), number()).as((r, b, t) ->
                "{\"replenish_rate\":" + r + ",\"burst_capacity\":" + b + ",\"requested_tokens\":" + t + "}");
        Arbitrary<String> perMinute = Combinators.combine(number(), number()).as((r, b) ->
                "{\"requests_per_minute\":" + r + ",\"burst\":" + b + "}");
        return Arbitraries.oneOf(bucket, perMinute, json(2)).optional(0.8);
    }

    private static Arbitrary<java.util.Optional<String>> budgets() {
        Arbitrary<String> member = Combinators.combine(Arbitraries.of("tokens_per_minute", "tokens_per_day",
                "cost_per_month", "tokens_per_mnute", ""), number()).as((name, value) -> quote(name) + ":" + value);
        return Arbitraries.oneOf(member.list().ofMaxSize(4).map(list -> "{" + String.join(",", list) + "}"), json(2))
            .optional(0.7);
    }

    private static Arbitrary<java.util.Optional<String>> extraMember() {
        return Combinators.combine(Arbitraries.of("id", "models", "extra", "rate_limit", "budget", "scopes", "\\u0000"),
                json(1)).as((name, value) -> "\"" + name + "\":" + value).optional(0.2);
    }

    /** Numbers where limits break: zero, negatives, the bounds, overflow, decimals, exponents, and non-numbers. */
    private static Arbitrary<String> number() {
        return Arbitraries.<String>oneOf(Arbitraries.of("0", "1", "-1", "5", "10", "60", "61", "7", "1000", "1.5", "0.000001",
                "0.0000001", "1e3", "1e400", "-0", "1000000000", "1000000001", "1000000000000", "1000000000001",
                "6000000", "6000001", "2147483648", "9223372036854775807", "9223372036854775808",
                "123456789012345678901234567890", "null", "\"5\"", "true", "[]", "{}"),
                Arbitraries.longs().map(value -> Long.toString(value)),
                Arbitraries.doubles().map(d -> Double.isFinite(d) ? Double.toString(d) : "0"));
    }

    /** Any JSON value, nested up to {@code depth}. */
    private static Arbitrary<String> json(int depth) {
        Arbitrary<String> scalar = Arbitraries.oneOf(number(), Arbitraries.of("\"\"", "\"chat\"", "\"sim-small\"",
                "\"\\u0000\"", "\"\\ud800\"", "false"),
                Arbitraries.strings().ofMaxLength(12).map(AdminApiFuzzIT::quote));
        if (depth == 0) {
            return scalar;
        }
        Arbitrary<String> array = json(depth - 1).list().ofMaxSize(3).map(list -> "[" + String.join(",", list) + "]");
        Arbitrary<String> object = Combinators.combine(Arbitraries.of("id", "models", "rate_limit", "budget", "name",
                "scopes", "replenish_rate", "tokens_per_day", "cost_per_month", "x"), json(depth - 1))
            .as((k, v) -> quote(k) + ":" + v).list().ofMaxSize(3).map(list -> "{" + String.join(",", list) + "}");
        return Arbitraries.oneOf(scalar, array, object);
    }

    record TenantBody(String id, String json) {
    }

    // ---- plumbing

    private static HttpResponse<String> send(String method, String path, String contentType, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gatewayUrl() + path)).timeout(Duration.ofSeconds(15))
            .header("Authorization", "Bearer " + GatewayTestSupport.ADMIN_KEY);
        if (!contentType.isEmpty()) {
            request.header("Content-Type", contentType);
        }
        boolean hasBody = !method.equals("GET") && !method.equals("OPTIONS") && !method.equals("DELETE");
        request.method(method, hasBody ? HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)
                : HttpRequest.BodyPublishers.noBody());
        return exchange(request.build());
    }

    private static HttpResponse<String> exchange(HttpRequest request) {
        long started = System.nanoTime();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            remember(request.method() + " " + request.uri().getRawPath() + " -> " + response.statusCode() + " in "
                    + (System.nanoTime() - started) / 1_000_000 + " ms " + response.headers().firstValue("Connection").orElse(""));
            return response;
        }
        catch (java.io.IOException e) {
            throw new AssertionError("No answer (a hang or a dropped connection) for " + request.method() + " "
                    + request.uri() + " after " + (System.nanoTime() - started) / 1_000_000 + " ms; the calls before it:\n"
                    + String.join("\n", HISTORY), e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static final java.util.Deque<String> HISTORY = new java.util.concurrent.ConcurrentLinkedDeque<>();

    private static void remember(String call) {
        HISTORY.addLast(call);
        while (HISTORY.size() > 8) {
            HISTORY.pollFirst();
        }
    }

    private static String gatewayUrl() {
        return "http://127.0.0.1:" + gateway.port();
    }

    private static long count(String sql, String parameter) throws Exception {
        try (Connection connection = DriverManager.getConnection(TestDatabase.jdbcUrl(), "postgres", "postgres");
                PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, parameter);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    private static String limitsRow() throws Exception {
        try (Connection connection = DriverManager.getConnection(TestDatabase.jdbcUrl(), "postgres", "postgres");
                PreparedStatement statement = connection.prepareStatement("""
                        select replenish_rate, burst_capacity, requested_tokens, tokens_per_minute, tokens_per_day,
                               cost_per_month_micros from tenant where id = ?""")) {
            statement.setString(1, BASE_TENANT);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                StringBuilder row = new StringBuilder();
                for (int column = 1; column <= 6; column++) {
                    row.append(rows.getObject(column)).append(',');
                }
                return row.toString();
            }
        }
    }

    private static String array(List<String> values) {
        return "[" + String.join(",", values.stream().map(AdminApiFuzzIT::quote).toList()) + "]";
    }

    private static String quote(String value) {
        StringBuilder quoted = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            if (c == '"' || c == '\\') {
                quoted.append('\\').append(c);
            }
            else if (c < 0x20) {
                quoted.append(String.format("\\u%04x", (int) c));
            }
            else {
                quoted.append(c);
            }
        }
        return quoted.append('"').toString();
    }

    /** Percent-encodes every byte that is not unreserved, so any string can sit in a path segment. */
    private static String encode(String value) {
        StringBuilder encoded = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
                    || c == '_' || c == '~') {
                encoded.append(c);
            }
            else {
                encoded.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return encoded.isEmpty() ? "x" : encoded.toString();
    }

    private static String sanitise(String suffix) {
        return suffix.chars().allMatch(c -> c >= 'a' && c <= 'z') ? suffix : "";
    }
}
