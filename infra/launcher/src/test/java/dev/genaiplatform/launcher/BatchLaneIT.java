package dev.genaiplatform.launcher;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.HttpResponse;
import com.openai.errors.NotFoundException;
import com.openai.models.batches.Batch;
import com.openai.models.batches.BatchCreateParams;
import com.openai.models.files.FileCreateParams;
import com.openai.models.files.FileObject;
import com.openai.models.files.FilePurpose;
import dev.genaiplatform.launcher.scenario.Gateway;
import dev.genaiplatform.launcher.scenario.Report;
import dev.genaiplatform.launcher.scenario.Scenario;
import dev.genaiplatform.launcher.scenario.ScenarioContext;
import dev.genaiplatform.launcher.scenario.Scenarios;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The batch lane through the whole platform with the official OpenAI Java SDK, as an application would drive it:
 * the input file is uploaded to retrieval ({@code /v1/files}, purpose {@code batch}), the batch is created and polled
 * at the orchestrator ({@code /v1/batches}), and the output and error files are read back through the gateway's
 * {@code file-batch-*} route. Then the {@code batch-lane} scenario: a spike of batch work beside interactive chat.
 */
class BatchLaneIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static OpenAIClient client;

    @BeforeAll
    static void connect() throws Exception {
        client = OpenAIOkHttpClient.builder()
                .baseUrl(RunningPlatform.gateway("/v1").toString())
                .apiKey(RunningPlatform.DEMO_KEY)
                .maxRetries(0)
                .responseValidation(true)   // every object must have the shape the SDK expects
                .timeout(Duration.ofSeconds(30))
                .build();
    }

    @AfterAll
    static void close() {
        if (client != null) {
            client.close();
        }
    }

    @Test
    void theOfficialSdkRunsABatchAndReadsItsOutputAndErrorFiles() throws Exception {
        Path input = Files.createTempFile("questions-", ".jsonl");
        Files.writeString(input, String.join("\n",
                line("rank", "How does retrieval rank passages?"),
                line("chunks", "How are chunks kept?"),
                "{\"custom_id\": \"broken\", \"method\": \"GET\", \"url\": \"/v1/chat/completions\", \"body\": {}}") + "\n");
        FileObject file = client.files().create(FileCreateParams.builder().file(input).purpose(FilePurpose.BATCH).build());
        assertThat(file.id()).startsWith("file-");

        Batch created = client.batches().create(BatchCreateParams.builder().inputFileId(file.id())
                .endpoint(BatchCreateParams.Endpoint.V1_CHAT_COMPLETIONS)
                .completionWindow(BatchCreateParams.CompletionWindow._24H).build());
        assertThat(created.id()).startsWith("batch_");
        assertThat(created.requestCounts().orElseThrow().total()).isEqualTo(3);

        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500)).until(
                () -> client.batches().retrieve(created.id()).status().equals(Batch.Status.COMPLETED));
        Batch done = client.batches().retrieve(created.id());
        assertThat(done.requestCounts().orElseThrow().completed()).isEqualTo(2);
        assertThat(done.requestCounts().orElseThrow().failed()).isEqualTo(1);
        assertThat(client.batches().list().data()).extracting(Batch::id).contains(created.id());

        FileObject outputFile = client.files().retrieve(done.outputFileId().orElseThrow());
        assertThat(outputFile.purpose()).isEqualTo(FileObject.Purpose.BATCH_OUTPUT);
        List<JsonNode> output = jsonl(client.files().content(done.outputFileId().orElseThrow()));
        assertThat(output).extracting(l -> l.path("custom_id").asString()).containsExactly("rank", "chunks");
        assertThat(output).allSatisfy(l -> {
            assertThat(l.at("/response/status_code").asInt()).isEqualTo(200);
            assertThat(l.at("/response/body/choices/0/message/content").asString()).isNotBlank();
        });
        List<JsonNode> errors = jsonl(client.files().content(done.errorFileId().orElseThrow()));
        assertThat(errors).singleElement().satisfies(l -> {
            assertThat(l.path("custom_id").asString()).isEqualTo("broken");
            assertThat(l.at("/error/message").asString()).contains("POST");
        });

        assertThatThrownBy(() -> client.batches().retrieve("batch_00000000000000000000000000000000"))
                .isInstanceOf(NotFoundException.class);
    }

    @Test
    void theBatchLaneScenarioDrainsASpikeAndLosesNothing() throws Exception {
        LauncherSettings settings = RunningPlatform.get();
        ScenarioContext context = new ScenarioContext(new Gateway(RunningPlatform.gateway("/"), RunningPlatform.DEMO_KEY),
                settings.home());
        Scenario scenario = Scenarios.named("batch-lane").orElseThrow();
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        Report report = new Report(new PrintStream(printed, true, StandardCharsets.UTF_8));

        Scenarios.run(scenario, context, report);

        System.out.println(printed.toString(StandardCharsets.UTF_8));
        Map<String, Object> facts = report.facts();
        assertThat(facts.get("batchStatus")).isEqualTo("completed");
        assertThat((int) facts.get("batchCompleted") + (int) facts.get("batchFailed")).isEqualTo(40);
        assertThat((List<?>) facts.get("missing")).isEmpty();
        assertThat((List<?>) facts.get("duplicated")).isEmpty();
        assertThat((long) facts.get("interactiveMedianDuringMs")).isPositive();
    }

    private static String line(String customId, String question) {
        return JSON.writeValueAsString(Map.of("custom_id", customId, "method", "POST", "url", "/v1/chat/completions",
                "body", Map.of("model", "sim-small", "messages", List.of(Map.of("role", "user", "content", question)))));
    }

    private static List<JsonNode> jsonl(HttpResponse response) throws Exception {
        try (response) {
            String text = new String(response.body().readAllBytes(), StandardCharsets.UTF_8);
            return text.lines().filter(l -> !l.isBlank()).map(JSON::readTree).toList();
        }
    }
}
