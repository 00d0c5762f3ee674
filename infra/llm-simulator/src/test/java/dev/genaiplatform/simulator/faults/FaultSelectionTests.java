package dev.genaiplatform.simulator.faults;

import com.knuddels.jtokkit.api.EncodingType;
import dev.genaiplatform.simulator.model.ModelProfile;
import dev.genaiplatform.simulator.serving.FinishReason;
import dev.genaiplatform.simulator.serving.Generation;
import dev.genaiplatform.simulator.tokens.TokenPiece;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.DoubleSupplier;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FaultSelectionTests {

    @ParameterizedTest(name = "{0}")
    @CsvSource(nullValues = "null", textBlock = """
            server-error,             SERVER_ERROR,            null
            unavailable=5,            UNAVAILABLE,             5
            ' slow-first-token = 3000 ', SLOW_FIRST_TOKEN,     3000
            stream-cut=0,             STREAM_CUT,              0
            slow-tokens=250,          SLOW_TOKENS,             250
            context-length-exceeded,  CONTEXT_LENGTH_EXCEEDED, null
            content-filter=4,         CONTENT_FILTER,          4
            """)
    void readsAFaultAndItsParameterFromTheHeader(String header, FaultKind kind, Integer parameter) {
        assertThat(Fault.parse(header)).isEqualTo(new Fault(kind, parameter));
    }

    @Test
    void refusesAnUnknownFaultListingEveryValidKind() {
        assertThatThrownBy(() -> Fault.parse("gremlins"))
                .hasMessage("Unknown fault 'gremlins' in header x-sim-fault. Valid kinds: server-error, bad-gateway, "
                        + "unavailable, rate-limit-storm, hang, context-length-exceeded, slow-first-token, slow-tokens, stream-cut, "
                        + "malformed-chunk, content-filter, length, schema-violation.");
    }

    @Test
    void refusesAParameterThatIsNotAWholeNumberOrNotExpected() {
        assertThatThrownBy(() -> Fault.parse("slow-first-token=soon")).hasMessageContaining("must be a whole number");
        assertThatThrownBy(() -> Fault.parse("stream-cut=-1")).hasMessageContaining("must not be negative");
        assertThatThrownBy(() -> Fault.parse("hang=3")).hasMessage("Fault 'hang' takes no parameter.");
    }

    @Test
    void injectsEveryNthRequestToTheRulesModelOnly() {
        FaultInjector injector = injector(List.of(new FaultProperties.Rule("sim-small", FaultKind.UNAVAILABLE, null, 3, null)),
                () -> 0.0);

        List<Boolean> small = IntStream.range(0, 6).mapToObj(i -> injector.fromRules("sim-small").isPresent()).toList();

        assertThat(small).containsExactly(false, false, true, false, false, true);
        assertThat(injector.fromRules("sim-large")).isEmpty();
    }

    @Test
    void injectsWithTheConfiguredProbability() {
        Iterator<Double> draws = List.of(0.05, 0.2, 0.09).iterator();
        FaultInjector injector = injector(List.of(new FaultProperties.Rule(null, FaultKind.SERVER_ERROR, 0.1, null, null)),
                draws::next);

        assertThat(injector.fromRules("any")).contains(new Fault(FaultKind.SERVER_ERROR, null));
        assertThat(injector.fromRules("any")).isEmpty();
        assertThat(injector.fromRules("any")).isPresent();
    }

    @Test
    void theFirstRuleThatFiresWinsAndEveryRuleKeepsItsOwnCount() {
        FaultInjector injector = injector(List.of(
                new FaultProperties.Rule(null, FaultKind.HANG, null, 2, null),
                new FaultProperties.Rule(null, FaultKind.LENGTH, null, 1, 3)), () -> 1.0);

        List<Optional<Fault>> faults = IntStream.range(0, 4).mapToObj(i -> injector.fromRules("m")).toList();

        assertThat(faults).containsExactly(Optional.of(new Fault(FaultKind.LENGTH, 3)), Optional.of(new Fault(FaultKind.HANG, null)),
                Optional.of(new Fault(FaultKind.LENGTH, 3)), Optional.of(new Fault(FaultKind.HANG, null)));
    }

    @Test
    void bindsRulesFromConfigurationWithKindsByTheirHeaderNames() {
        FaultProperties properties = new Binder(new MapConfigurationPropertySource(Map.of(
                "platform.simulator.faults.rules[0].model", "sim-large",
                "platform.simulator.faults.rules[0].kind", "rate-limit-storm",
                "platform.simulator.faults.rules[0].every", "10",
                "platform.simulator.faults.rules[0].parameter", "2",
                "platform.simulator.faults.retry-after", "5s")))
                .bind("platform.simulator.faults", FaultProperties.class).get();

        assertThat(properties.rules()).containsExactly(new FaultProperties.Rule("sim-large", FaultKind.RATE_LIMIT_STORM, null, 10, 2));
        assertThat(properties.retryAfter()).isEqualTo(Duration.ofSeconds(5));
        assertThat(properties.firstTokenDelay()).isEqualTo(Duration.ofSeconds(3));
        assertThat(properties.tokenDelay()).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void refusesARuleWithBothOrNeitherOfProbabilityAndEvery() {
        assertThatThrownBy(() -> new FaultProperties.Rule(null, FaultKind.HANG, 0.5, 2, null))
                .hasMessageContaining("exactly one of probability and every");
        assertThatThrownBy(() -> new FaultProperties.Rule(null, FaultKind.HANG, null, null, null))
                .hasMessageContaining("exactly one of probability and every");
        assertThatThrownBy(() -> new FaultProperties.Rule(null, FaultKind.HANG, null, 1, 5))
                .hasMessage("Fault 'hang' takes no parameter.");
    }

    @Test
    void lengthAndContentFilterKeepTheFirstTokensAndEndWithTheirFinishReason() {
        Generation answer = generation(10);

        Generation cut = active(FaultKind.LENGTH, 4).reshape(answer);
        Generation filtered = active(FaultKind.CONTENT_FILTER, null).reshape(answer);

        assertThat(cut.output()).isEqualTo(answer.output().subList(0, 4));
        assertThat(cut.finishReason()).isEqualTo(FinishReason.LENGTH);
        assertThat(filtered.output()).isEqualTo(answer.output().subList(0, 5));
        assertThat(filtered.finishReason()).isEqualTo(FinishReason.CONTENT_FILTER);
        assertThat(active(FaultKind.STREAM_CUT, null).reshape(answer)).isSameAs(answer);
    }

    @Test
    void wireFaultsActAtTheMiddleOfTheAnswerUnlessToldWhereButNeverPastItsLastChunk() {
        ActiveFault middle = active(FaultKind.STREAM_CUT, null);
        middle.reshape(generation(10));
        ActiveFault third = active(FaultKind.MALFORMED_CHUNK, 3);
        third.reshape(generation(10));

        ActiveFault beyond = active(FaultKind.STREAM_CUT, 50);
        beyond.reshape(generation(10));

        assertThat(middle.contentChunk()).isEqualTo(5);
        assertThat(third.contentChunk()).isEqualTo(3);
        assertThat(beyond.contentChunk()).isEqualTo(10); // the last content chunk, never the finish reason
        assertThat(active(FaultKind.SLOW_FIRST_TOKEN, 250).firstTokenDelay()).isEqualTo(Duration.ofMillis(250));
        assertThat(active(FaultKind.SLOW_FIRST_TOKEN, null).firstTokenDelay()).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void slowTokensWaitTheirParameterOrTheDefaultBeforeEachTokenAndAWholeAnswerAsLongAsItsStream() {
        ActiveFault told = active(FaultKind.SLOW_TOKENS, 40);
        told.reshape(generation(10));
        ActiveFault unsaid = active(FaultKind.SLOW_TOKENS, null);

        assertThat(told.tokenDelay()).isEqualTo(Duration.ofMillis(40));
        assertThat(told.wholeAnswerDelay()).isEqualTo(Duration.ofMillis(400));
        assertThat(unsaid.tokenDelay()).isEqualTo(Duration.ofMillis(500));
        assertThat(unsaid.wholeAnswerDelay()).as("size unknown: one wait").isEqualTo(Duration.ofMillis(500));
    }

    private static FaultInjector injector(List<FaultProperties.Rule> rules, DoubleSupplier random) {
        return new FaultInjector(new FaultProperties(rules, Duration.ofSeconds(1), Duration.ofSeconds(3),
                Duration.ofMillis(500)),
                new SimpleMeterRegistry(), random);
    }

    private static ActiveFault active(FaultKind kind, Integer parameter) {
        return new ActiveFault(new Fault(kind, parameter), "sim-small", Duration.ofSeconds(1), Duration.ofSeconds(3),
                Duration.ofMillis(500));
    }

    private static Generation generation(int pieces) {
        List<TokenPiece> output = new ArrayList<>();
        for (int i = 0; i < pieces; i++) {
            output.add(new TokenPiece(" w" + i, 1));
        }
        ModelProfile model = new ModelProfile("sim-small", "genai-platform", 2048, Duration.ZERO, Duration.ZERO,
                EncodingType.O200K_BASE);
        return new Generation(model, 10, output, FinishReason.STOP);
    }
}
