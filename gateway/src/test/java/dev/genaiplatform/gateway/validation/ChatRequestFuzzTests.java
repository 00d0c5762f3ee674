package dev.genaiplatform.gateway.validation;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

import dev.genaiplatform.gateway.tenant.ApiKey;
import dev.genaiplatform.gateway.tenant.Tenant;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import org.springframework.web.ErrorResponseException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Property-based: requests shaped like OpenAI's chat schema, with every field given values of every JSON type
 * (and bodies that are not JSON at all). Whatever comes in, the validator either accepts it or answers a 400 or
 * a 404 naming a parameter; it never throws anything else, which at the edge would be a 500.
 */
class ChatRequestFuzzTests {

    private static final ApiKey KEY = new ApiKey("0123456789abcdef", new Tenant("demo", new Tenant.RateLimit(1, 1, 1)),
            Set.of("chat"), List.of("sim-small"));

    private static final List<String> FIELDS = List.of("model", "messages", "stream", "stream_options", "temperature",
            "top_p", "n", "max_tokens", "max_completion_tokens", "seed", "stop", "tools", "tool_choice",
            "response_format", "user", "frequency_penalty", "logprobs", "parallel_tool_calls", "metadata");

    private final ChatRequestValidator validator = new ChatRequestValidator();

    @Property(tries = 2000)
    void answersAnyChatShapedBodyWithAcceptanceOrAClientError(@ForAll("chatShapedBodies") String body) {
        assertOnlyClientErrors(body.getBytes(StandardCharsets.UTF_8));
    }

    @Property(tries = 1000)
    void answersArbitraryBytesWithAClientError(@ForAll byte[] body) {
        assertOnlyClientErrors(body);
    }

    private void assertOnlyClientErrors(byte[] body) {
        try {
            ValidatedChatRequest validated = validator.validate(body, KEY);
            assertThat(validated.model()).isEqualTo("sim-small");
            validator.withStreamUsage(validated);
        }
        catch (ErrorResponseException refused) {
            assertThat(refused.getStatusCode().value()).isIn(400, 404);
            assertThat(refused.getBody().getType().toString()).startsWith("urn:genai-platform:problem:");
        }
    }

    @Provide
    Arbitrary<String> chatShapedBodies() {
        Arbitrary<String> field = Combinators.combine(Arbitraries.of(FIELDS), json(3))
            .as((name, value) -> "\"" + name + "\":" + value);
        Arbitrary<String> message = Combinators.combine(
                Arbitraries.of("system", "developer", "user", "assistant", "tool", "robot", "").map(r -> "\"" + r + "\""),
                Arbitraries.<String>oneOf(json(2), Arbitraries.of("\"Hi\"", "[{\"type\":\"text\",\"text\":\"Hi\"}]", "null")),
                Arbitraries.<String>oneOf(Arbitraries.just(""), json(2).map(v -> ",\"tool_calls\":" + v),
                        json(1).map(v -> ",\"tool_call_id\":" + v)))
            .as((role, content, extra) -> "{\"role\":" + role + ",\"content\":" + content + extra + "}");
        Arbitrary<String> messages = message.list().ofMaxSize(4).map(list -> "[" + String.join(",", list) + "]");
        Arbitrary<String> model = Arbitraries.of("\"sim-small\"", "\"sim-large\"", "\"\"", "42", "null");
        return Combinators.combine(model, messages, field.list().ofMaxSize(6))
            .as((m, msgs, more) -> "{\"model\":" + m + ",\"messages\":" + msgs
                    + (more.isEmpty() ? "" : "," + String.join(",", more)) + "}");
    }

    /** Any JSON value, nested up to {@code depth}, with the edge cases that break naive validators. */
    private static Arbitrary<String> json(int depth) {
        Arbitrary<String> scalar = Arbitraries.<String>oneOf(
                Arbitraries.of("null", "true", "false", "0", "-1", "1", "2.5", "1e400", "-0", "9223372036854775808",
                        "18446744073709551616", "0.0000001", "\"\"", "\" \"", "\"auto\"", "\"none\"", "\"required\"",
                        "\"json_schema\"", "\"function\"", "\"\\u0000\"", "\"\\ud800\""),
                Arbitraries.strings().ofMaxLength(12).map(s -> "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"")
                    .replaceAll("[\\x00-\\x1f]", "") + "\""),
                Arbitraries.longs().map(value -> Long.toString(value)),
                Arbitraries.doubles().map(d -> Double.isFinite(d) ? Double.toString(d) : "0"));
        if (depth == 0) {
            return scalar;
        }
        Arbitrary<String> array = json(depth - 1).list().ofMaxSize(3).map(list -> "[" + String.join(",", list) + "]");
        Arbitrary<String> object = Combinators.combine(
                Arbitraries.of("type", "function", "name", "arguments", "parameters", "json_schema", "schema", "strict",
                        "include_usage", "text", "id", "description"), json(depth - 1))
            .as((k, v) -> "\"" + k + "\":" + v).list().ofMaxSize(3).map(list -> "{" + String.join(",", list) + "}");
        return Arbitraries.<String>oneOf(scalar, array, object);
    }
}
