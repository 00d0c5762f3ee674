package dev.genaiplatform.contracts.problem;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.InputStream;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code problems.json} documents every problem type; it must match the enum exactly, both ways. */
class ProblemTypeTests {

    private static final JsonNode EXAMPLES = read();

    private static JsonNode read() {
        try (InputStream in = ProblemTypeTests.class.getResourceAsStream("/problems.json")) {
            return JsonMapper.builder().build().readTree(in);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @ParameterizedTest
    @EnumSource(ProblemType.class)
    void everyProblemTypeHasAMatchingExample(ProblemType problem) {
        JsonNode example = EXAMPLES.get(problem.code());
        assertThat(example).as("example for " + problem.code()).isNotNull();
        assertThat(example.get("type").asString()).isEqualTo(problem.type());
        assertThat(example.get("status").asInt()).isEqualTo(problem.status());
        assertThat(example.get("title").asString()).isEqualTo(problem.title());
        assertThat(example.get("error").get("code").asString()).isEqualTo(problem.code());
        assertThat(example.get("error").get("type").asString()).isEqualTo(problem.kind().wireName());
    }

    @Test
    void codesAreUniqueAndEveryExampleNamesAProblemType() {
        Set<String> codes = Arrays.stream(ProblemType.values()).map(ProblemType::code).collect(Collectors.toSet());
        assertThat(codes).hasSize(ProblemType.values().length);
        Set<String> exampleCodes = new HashSet<>();
        EXAMPLES.propertyNames().forEach(exampleCodes::add);
        assertThat(exampleCodes).isEqualTo(codes);
    }

    @Test
    void statusMatchesTheKindOfError() {
        for (ProblemType p : ProblemType.values()) {
            switch (p.kind()) {
                case SERVER -> assertThat(p.status()).as(p.code()).isBetween(500, 599);
                case RATE_LIMIT -> assertThat(p.status()).as(p.code()).isEqualTo(429);
                case AUTHENTICATION -> assertThat(p.status()).as(p.code()).isEqualTo(401);
                case PERMISSION -> assertThat(p.status()).as(p.code()).isEqualTo(403);
                case INVALID_REQUEST -> assertThat(p.status()).as(p.code()).isBetween(400, 499);
            }
        }
        assertThat(ProblemType.ofCode("model_not_found")).contains(ProblemType.MODEL_NOT_FOUND);
    }
}
