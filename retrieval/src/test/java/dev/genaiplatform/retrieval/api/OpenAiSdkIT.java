package dev.genaiplatform.retrieval.api;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.NotFoundException;
import com.openai.models.files.FileCreateParams;
import com.openai.models.files.FileObject;
import com.openai.models.files.FilePurpose;
import com.openai.models.vectorstores.VectorStore;
import com.openai.models.vectorstores.VectorStoreCreateParams;
import com.openai.models.vectorstores.VectorStoreSearchParams;
import com.openai.models.vectorstores.VectorStoreSearchResponse;
import com.openai.models.vectorstores.files.FileRetrieveParams;
import com.openai.models.vectorstores.files.VectorStoreFile;
import dev.genaiplatform.retrieval.support.RetrievalIntegrationTest;
import dev.genaiplatform.retrieval.support.TestTokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The official OpenAI Java SDK, unchanged, pointed straight at retrieval with an internal token as its API key
 * (the SDK sends it as {@code Authorization: Bearer}, which is what the gateway forwards): upload a file, put it in
 * a vector store, wait for ingestion, search it, delete it, and find it gone.
 */
class OpenAiSdkIT extends RetrievalIntegrationTest {

    @LocalServerPort
    private int port;

    private OpenAIClient client(String tenant) {
        return OpenAIOkHttpClient.builder().baseUrl("http://127.0.0.1:" + port + "/v1")
                .apiKey(TestTokens.token(tenant)).maxRetries(0).build();
    }

    @Test
    void uploadsAddsWaitsSearchesAndDeletesThroughTheOfficialSdk(@TempDir Path folder) throws Exception {
        OpenAIClient openai = client("sdk-tenant");
        Path handbook = folder.resolve("greenhouse-handbook.md");
        Files.writeString(handbook, """
                # Greenhouse handbook

                ## Night ventilation

                Open the roof vents by a hand's width when the night stays above twelve degrees, so that
                condensation does not drip onto the tomato leaves and start grey mould.

                ## Watering

                Water the cucumbers at the base in the early morning; wet leaves at dusk invite mildew.
                """);

        FileObject file = openai.files().create(FileCreateParams.builder().file(handbook).purpose(FilePurpose.ASSISTANTS).build());
        assertThat(file.id()).startsWith("file-");
        assertThat(file.filename()).isEqualTo("greenhouse-handbook.md");
        assertThat(file.bytes()).isEqualTo(Files.size(handbook));

        VectorStore store = openai.vectorStores().create(VectorStoreCreateParams.builder().name("garden").build());
        assertThat(store.id()).startsWith("vs_");
        VectorStoreFile added = openai.vectorStores().files().create(store.id(),
                com.openai.models.vectorstores.files.FileCreateParams.builder().fileId(file.id()).build());
        assertThat(added.status()).isEqualTo(VectorStoreFile.Status.IN_PROGRESS);

        // the SDK's status values are objects: compare with equals, a freshly parsed one is a new instance
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> !openai.vectorStores().files()
                .retrieve(file.id(), FileRetrieveParams.builder().vectorStoreId(store.id()).build()).status()
                .equals(VectorStoreFile.Status.IN_PROGRESS));
        VectorStoreFile done = openai.vectorStores().files().retrieve(file.id(), FileRetrieveParams.builder().vectorStoreId(store.id()).build());
        assertThat(done.status()).isEqualTo(VectorStoreFile.Status.COMPLETED);
        assertThat(done.lastError()).isEmpty();
        assertThat(openai.vectorStores().retrieve(store.id()).fileCounts().completed()).isEqualTo(1);

        List<VectorStoreSearchResponse> hits = openai.vectorStores().search(store.id(), VectorStoreSearchParams.builder()
                .query("how do I stop condensation from dripping on tomatoes at night?").maxNumResults(2).build()).data();
        assertThat(hits).isNotEmpty();
        assertThat(hits.getFirst().fileId()).isEqualTo(file.id());
        assertThat(hits.getFirst().filename()).isEqualTo("greenhouse-handbook.md");
        assertThat(hits.getFirst().content().getFirst().text()).contains("roof vents");

        assertThat(openai.files().delete(file.id()).deleted()).isTrue();

        assertThat(openai.vectorStores().search(store.id(), VectorStoreSearchParams.builder()
                .query("roof vents condensation tomato").build()).data()).isEmpty();
        assertThatThrownBy(() -> openai.files().retrieve(file.id())).isInstanceOf(NotFoundException.class);
        assertThat(openai.vectorStores().delete(store.id()).deleted()).isTrue();
    }
}
