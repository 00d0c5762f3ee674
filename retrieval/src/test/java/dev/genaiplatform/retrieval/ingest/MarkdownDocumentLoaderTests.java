package dev.genaiplatform.retrieval.ingest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class MarkdownDocumentLoaderTests {

    private final MarkdownDocumentLoader loader =
            new MarkdownDocumentLoader(new PathMatchingResourcePatternResolver(), List.of("target", "node_modules"));

    @Test
    void namesFilesRelativeToTheFolderBeforeTheFirstWildcard(@TempDir Path home) throws Exception {
        Path docs = home.resolve("my docs"); // a space, to prove paths come back decoded
        write(docs.resolve("architecture.md"), "# Architecture\r\n\r\nCRLF kept.\r\n");
        write(docs.resolve("adr/0001-processes.md"), "# ADR 1\n");
        write(docs.resolve("adr/notes.txt"), "not Markdown");
        write(docs.resolve("target/classes/platform-docs/architecture.md"), "# build output copy\n");
        write(docs.resolve(".hidden/secret.md"), "# hidden\n");

        List<SourceDocument> documents = loader.load("file:" + docs.toAbsolutePath() + "/**/*.md");

        assertThat(documents).extracting(SourceDocument::path)
                .containsExactly("adr/0001-processes.md", "architecture.md");
        assertThat(documents.get(1).text()).isEqualTo(Files.readString(docs.resolve("architecture.md")));
    }

    @Test
    void readsClasspathPatternsRelativeToTheirBaseFolder() {
        List<SourceDocument> documents = loader.load("classpath*:fixture-docs/**/*.md");

        assertThat(documents).extracting(SourceDocument::path).containsExactly(
                "messaging/dead-letters.md", "payments/card-validation.md", "plant-care.md", "sourdough.md");
    }

    @Test
    void keepsTheFileExactlyAsFilesReadStringReturnsIt(@TempDir Path home) throws Exception {
        String text = "\uFEFF# Título\r\n\r\nÜnïcödé 🙂\n";
        write(home.resolve("bom.md"), text);

        SourceDocument document = loader.load("file:" + home.toAbsolutePath() + "/*.md").getFirst();

        assertThat(document.text()).isEqualTo(Files.readString(home.resolve("bom.md"))).isEqualTo(text);
    }

    @Test
    void findsTheBaseFolderOfAPattern() {
        assertThat(MarkdownDocumentLoader.baseLocation("file:/srv/docs/**/*.md")).isEqualTo("file:/srv/docs/");
        assertThat(MarkdownDocumentLoader.baseLocation("classpath*:platform-docs/**/*.md")).isEqualTo("classpath*:platform-docs/");
        assertThat(MarkdownDocumentLoader.baseLocation("classpath*:*.md")).isEqualTo("classpath*:");
        assertThat(MarkdownDocumentLoader.baseLocation("file:/srv/docs/adr/0001.md")).isEqualTo("file:/srv/docs/adr/");
    }

    @Test
    void returnsNothingWhenNothingMatches(@TempDir Path home) {
        assertThat(loader.load("file:" + home.toAbsolutePath() + "/**/*.md")).isEmpty();
    }

    private static void write(Path file, String text) throws Exception {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }
}
