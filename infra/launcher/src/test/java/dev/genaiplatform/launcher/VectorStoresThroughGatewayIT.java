package dev.genaiplatform.launcher;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.errors.NotFoundException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.files.FileCreateParams;
import com.openai.models.files.FileObject;
import com.openai.models.files.FilePurpose;
import com.openai.models.vectorstores.VectorStore;
import com.openai.models.vectorstores.VectorStoreCreateParams;
import com.openai.models.vectorstores.VectorStoreSearchParams;
import com.openai.models.vectorstores.VectorStoreSearchResponse;
import com.openai.models.vectorstores.files.FileRetrieveParams;
import com.openai.models.vectorstores.files.VectorStoreFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Issue 8's closing promise, end to end: the official OpenAI Java SDK, pointed at the gateway with a tenant's API key
 * and nothing else changed, uploads a file, puts it in a vector store, waits for ingestion over Kafka, searches it,
 * grounds a chat answer on it, deletes it, and then can neither find it nor get it cited again, including from the
 * answer cache that had the grounded answer (the deletion event evicts it).
 */
class VectorStoresThroughGatewayIT {

    private static final String QUESTION = "How wide should the greenhouse roof vents open on a warm night?";

    private static OpenAIClient client;

    @BeforeAll
    static void connect() throws Exception {
        client = OpenAIOkHttpClient.builder()
                .baseUrl(RunningPlatform.gateway("/v1").toString())
                .apiKey(RunningPlatform.DEMO_KEY)
                .maxRetries(0)
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
    void theOfficialSdkUploadsWaitsSearchesGroundsAndDeletesThroughTheGateway(@TempDir Path folder) throws Exception {
        Path handbook = folder.resolve("greenhouse-night-handbook.md");
        Files.writeString(handbook, """
                # Greenhouse night handbook

                ## Roof vents at night

                Open the roof vents by a hand's width when the night stays above twelve degrees, so that
                condensation does not drip onto the tomato leaves and start grey mould.

                ## Watering

                Water the cucumbers at the base in the early morning; wet leaves at dusk invite mildew.
                """);

        FileObject file = client.files().create(FileCreateParams.builder().file(handbook)
                .purpose(FilePurpose.ASSISTANTS).build());
        assertThat(file.id()).startsWith("file-");
        VectorStore store = client.vectorStores().create(VectorStoreCreateParams.builder().name("greenhouse").build());
        client.vectorStores().files().create(store.id(),
                com.openai.models.vectorstores.files.FileCreateParams.builder().fileId(file.id()).build());

        FileRetrieveParams inStore = FileRetrieveParams.builder().vectorStoreId(store.id()).build();
        // status values are objects: compare with equals, each parsed one is a new instance
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(300)).until(() ->
                !client.vectorStores().files().retrieve(file.id(), inStore).status()
                        .equals(VectorStoreFile.Status.IN_PROGRESS));
        assertThat(client.vectorStores().files().retrieve(file.id(), inStore).status())
                .isEqualTo(VectorStoreFile.Status.COMPLETED);

        List<VectorStoreSearchResponse> hits = client.vectorStores().search(store.id(), VectorStoreSearchParams.builder()
                .query("how do I keep condensation off the tomatoes at night?").maxNumResults(2).build()).data();
        assertThat(hits).isNotEmpty();
        assertThat(hits.getFirst().fileId()).isEqualTo(file.id());
        assertThat(hits.getFirst().content().getFirst().text()).contains("roof vents");

        ChatCompletion grounded = client.chat().completions().create(groundedOn(store.id()));
        assertThat(citations(grounded)).contains(file.id());
        ChatCompletion again = client.chat().completions().create(groundedOn(store.id()));
        assertThat(citations(again)).as("the same question again is answered the same way").contains(file.id());

        assertThat(client.files().delete(file.id()).deleted()).isTrue();

        assertThat(client.vectorStores().search(store.id(), VectorStoreSearchParams.builder()
                .query("roof vents condensation tomato").build()).data()).isEmpty();
        assertThatThrownBy(() -> client.files().retrieve(file.id())).isInstanceOf(NotFoundException.class);
        // the answer cache is evicted by retrieval.document-deleted.v1, an event: allow it the time to arrive
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                assertThat(citations(client.chat().completions().create(groundedOn(store.id()))))
                        .doesNotContain(file.id()));
        assertThat(client.vectorStores().delete(store.id()).deleted()).isTrue();
    }

    private static ChatCompletionCreateParams groundedOn(String storeId) {
        return ChatCompletionCreateParams.builder().model("sim-small").addUserMessage(QUESTION)
                .putAdditionalBodyProperty("vector_store_ids", JsonValue.from(List.of(storeId)))
                .build();
    }

    /** The platform's citations member as text (empty when the answer cites nothing). */
    private static String citations(ChatCompletion completion) {
        JsonValue citations = completion._additionalProperties().get("citations");
        return citations == null ? "" : citations.toString();
    }
}
