package dev.genaiplatform.retrieval.api;

import dev.genaiplatform.retrieval.cli.IngestFolder;
import dev.genaiplatform.retrieval.support.RetrievalIntegrationTest;
import dev.genaiplatform.retrieval.support.TestTokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The folder command against the running service: uploads, one batch, a progress bar, idempotent on rerun. */
class IngestFolderIT extends RetrievalIntegrationTest {

    @LocalServerPort
    private int port;

    @Test
    void ingestsEverySupportedFileOfAFolderWithAProgressBarAndAddsNothingTheSecondTime(@TempDir Path folder) throws Exception {
        Files.writeString(folder.resolve("a.md"), "# A\n\nApples ripen in autumn.");
        Files.createDirectories(folder.resolve("sub"));
        Files.writeString(folder.resolve("sub/b.txt"), "Beetroot stains everything.");
        Files.writeString(folder.resolve("sub/c.html"), "<h1>C</h1><p>Cabbage keeps for months.</p>");
        Files.write(folder.resolve("broken.pdf"), "%PDF-nope".getBytes(StandardCharsets.US_ASCII));
        Files.write(folder.resolve("image.png"), new byte[] {1, 2, 3});
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        var command = new IngestFolder("http://127.0.0.1:" + port, TestTokens.token("t-folder"), new PrintStream(printed, true, StandardCharsets.UTF_8));

        IngestFolder.Outcome first = command.run(folder, null);
        IngestFolder.Outcome again = command.run(folder, first.vectorStoreId());

        assertThat(first.completed()).isEqualTo(3);
        assertThat(first.failed()).isEqualTo(1);
        assertThat(first.skipped()).isEqualTo(1);
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("[##############################] 4/4 files, 1 failed");
        assertThat(again.completed() + again.failed()).isEqualTo(4); // same files, same store rows: nothing new
        assertThat(new dev.genaiplatform.retrieval.support.DocumentsClient(port, TestTokens.token("t-folder"))
                .get("/v1/files").body().path("data")).hasSize(4);
    }
}
