package dev.genaiplatform.simulator.faults;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.InternalServerException;
import com.openai.errors.NotFoundException;
import com.openai.errors.OpenAIInvalidDataException;
import com.openai.errors.OpenAIIoException;
import com.openai.errors.RateLimitException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.genaiplatform.simulator.ProviderLimitsServerTest;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static dev.genaiplatform.simulator.faults.FaultsHttpTests.QUESTION;
import static dev.genaiplatform.simulator.faults.FaultsHttpTests.SYSTEM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The official OpenAI Java SDK ({@code com.openai:openai-java}), unchanged, against every error and fault
 * kind: each must surface as the same exception or value the SDK gives for the real API. Retries are off
 * (one test turns one on) and timeouts short, so the class runs in seconds.
 */
@ProviderLimitsServerTest
class OpenAiSdkFaultCompatibilityTests {

    @LocalServerPort
    int port;
    @Autowired
    MeterRegistry meters;

    @Test
    void aRealRateLimitIsARateLimitExceptionCarryingRetryAfterAndTheAllowanceHeaders() {
        OpenAIClient client = client(0, Duration.ofSeconds(10));
        for (int i = 0; i < 3; i++) {
            client.chat().completions().create(params("sim-small", null));
        }

        RateLimitException e = catchThrowableOfType(RateLimitException.class,
                () -> client.chat().completions().create(params("sim-small", null)));

        assertThat(e.statusCode()).isEqualTo(429);
        assertThat(e.code()).contains("rate_limit_exceeded");
        assertThat(e.type()).contains("requests");
        assertThat(Integer.parseInt(e.headers().values("retry-after").getFirst())).isBetween(1, 20);
        assertThat(e.headers().values("x-ratelimit-remaining-requests")).containsExactly("0");
        assertThat(e.headers().values("x-ratelimit-limit-tokens")).containsExactly("4000");
    }

    @Test
    void aRateLimitStormIsARateLimitException() {
        RateLimitException e = catchThrowableOfType(RateLimitException.class,
                () -> client(0, Duration.ofSeconds(10)).chat().completions().create(params("sim-small", "rate-limit-storm")));

        assertThat(e.code()).contains("rate_limit_exceeded");
        assertThat(e.headers().values("retry-after")).containsExactly("1");
    }

    @Test
    void contextLengthExceededIsABadRequestExceptionWithItsCodeAndParam() {
        BadRequestException e = catchThrowableOfType(BadRequestException.class,
                () -> client(0, Duration.ofSeconds(10)).chat().completions().create(params("sim-small", "context-length-exceeded")));

        assertThat(e.code()).contains("context_length_exceeded");
        assertThat(e.param()).contains("messages");
        assertThat(e.getMessage()).contains("maximum context length is");
    }

    @Test
    void anUnknownFaultIsABadRequestException() {
        BadRequestException e = catchThrowableOfType(BadRequestException.class,
                () -> client(0, Duration.ofSeconds(10)).chat().completions().create(params("sim-small", "gremlins")));

        assertThat(e.param()).contains("x-sim-fault");
    }

    @Test
    void anUnknownModelIsANotFoundException() {
        NotFoundException e = catchThrowableOfType(NotFoundException.class,
                () -> client(0, Duration.ofSeconds(10)).chat().completions().create(params("gpt-imaginary", null)));

        assertThat(e.code()).contains("model_not_found");
    }

    @Test
    void serverErrorBadGatewayAndUnavailableAreInternalServerExceptions() {
        OpenAIClient client = client(0, Duration.ofSeconds(10));

        for (String fault : List.of("server-error", "bad-gateway", "unavailable")) {
            InternalServerException e = catchThrowableOfType(InternalServerException.class,
                    () -> client.chat().completions().create(params("sim-small", fault)));
            assertThat(e.statusCode()).as(fault).isEqualTo(switch (fault) {
                case "server-error" -> 500;
                case "bad-gateway" -> 502;
                default -> 503;
            });
        }
    }

    @Test
    void theSdkRetriesAnUnavailableServerAfterRetryAfterBeforeGivingUp() {
        double before = faults("unavailable");

        assertThatThrownBy(() -> client(1, Duration.ofSeconds(10)).chat().completions()
                .create(params("sim-small", "unavailable=1")))
                .isInstanceOf(InternalServerException.class);

        assertThat(faults("unavailable")).isEqualTo(before + 2); // the first try and one retry
    }

    @Test
    void aHangEndsWithTheClientsTimeout() {
        assertThatThrownBy(() -> client(0, Duration.ofMillis(500)).chat().completions()
                .create(params("sim-small", "hang")))
                .isInstanceOf(OpenAIIoException.class);
    }

    @Test
    void aStreamCutMidAnswerIsAnIoErrorAfterThePartialAnswer() {
        List<String> received = new ArrayList<>();

        assertThatThrownBy(() -> {
            try (StreamResponse<ChatCompletionChunk> stream = client(0, Duration.ofSeconds(10)).chat().completions()
                    .createStreaming(params("sim-small", "stream-cut=3"))) {
                stream.stream().forEach(chunk -> chunk.choices().forEach(choice -> choice.delta().content().ifPresent(received::add)));
            }
        }).isInstanceOf(OpenAIIoException.class).hasMessage("Stream failed");
        assertThat(String.join("", received)).isNotEmpty();
    }

    @Test
    void aWholeCompletionCutMidBodyOrMalformedIsAnInvalidDataError() {
        OpenAIClient client = client(0, Duration.ofSeconds(10));

        for (String fault : List.of("stream-cut", "malformed-chunk")) {
            assertThatThrownBy(() -> client.chat().completions().create(params("sim-small", fault)))
                    .as(fault).isInstanceOf(OpenAIInvalidDataException.class);
        }
    }

    @Test
    void aMalformedChunkMakesTheSdkRaiseAnError() {
        assertThatThrownBy(() -> {
            try (StreamResponse<ChatCompletionChunk> stream = client(0, Duration.ofSeconds(10)).chat().completions()
                    .createStreaming(params("sim-small", "malformed-chunk=2"))) {
                stream.stream().forEach(chunk -> { });
            }
        }).isInstanceOf(OpenAIInvalidDataException.class);
    }

    @Test
    void contentFilterAndLengthFinishReasonsAreReadable() {
        OpenAIClient client = client(0, Duration.ofSeconds(10));

        ChatCompletion filtered = client.chat().completions().create(params("sim-small", "content-filter=2"));
        ChatCompletion cut = client.chat().completions().create(params("sim-small", "length=2"));

        assertThat(filtered.choices().getFirst().finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.CONTENT_FILTER);
        assertThat(cut.choices().getFirst().finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.LENGTH);
        assertThat(cut.usage().orElseThrow().completionTokens()).isEqualTo(2);
    }

    @Test
    void aSlowFirstTokenStillStreamsTheWholeAnswer() {
        List<String> finishReasons = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> stream = client(0, Duration.ofSeconds(10)).chat().completions()
                .createStreaming(params("sim-small", "slow-first-token=100"))) {
            stream.stream().forEach(chunk -> chunk.choices()
                    .forEach(choice -> choice.finishReason().ifPresent(reason -> finishReasons.add(reason.asString()))));
        }

        assertThat(finishReasons).containsExactly("stop");
    }

    private OpenAIClient client(int maxRetries, Duration timeout) {
        return OpenAIOkHttpClient.builder()
                .baseUrl("http://127.0.0.1:" + port + "/v1")
                .apiKey("sk-test-" + UUID.randomUUID()) // a fresh allowance per client
                .maxRetries(maxRetries)
                .timeout(timeout)
                .build();
    }

    private static ChatCompletionCreateParams params(String model, String fault) {
        ChatCompletionCreateParams.Builder params = ChatCompletionCreateParams.builder()
                .model(model).addSystemMessage(SYSTEM).addUserMessage(QUESTION);
        if (fault != null) {
            params.putAdditionalHeader(FaultInjectionFilter.HEADER, fault);
        }
        return params.build();
    }

    private double faults(String kind) {
        Counter counter = meters.find("simulator.faults").tags("model", "sim-small", "kind", kind).counter();
        return counter == null ? 0 : counter.count();
    }
}
