package dev.genaiplatform.docs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every relative link in docs/ and in every README resolves: the file exists, and an anchor names a heading of it.
 * Readers follow these links to the code; a link that points nowhere is a dead end in the middle of a lesson.
 */
class DocumentationLinksTests {

    static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();

    @Test
    void everyRelativeLinkInTheDocsAndReadmesPointsToAFileAndHeadingThatExist() {
        List<MarkdownFile> files = MarkdownFile.documentation(REPOSITORY);
        assertThat(files).as("the docs and READMEs are found").hasSizeGreaterThan(20)
                .anySatisfy(file -> assertThat(file.path()).hasFileName("study-map.md"));
        assertThat(new LinkCheck().broken(files)).as("broken links").isEmpty();
    }

    @Test
    void everyPageUnderDocsIsListedInTheDocsReadme() {
        MarkdownFile index = MarkdownFile.read(REPOSITORY.resolve("docs/README.md"));
        java.util.Set<Path> listed = new java.util.HashSet<>();
        index.relativeLinks().forEach(link -> listed.add(LinkCheck.target(link)));
        List<Path> unlisted = MarkdownFile.documentation(REPOSITORY).stream().map(MarkdownFile::path)
                .filter(path -> path.startsWith(REPOSITORY.resolve("docs")))
                .filter(path -> !path.equals(index.path())).filter(path -> !listed.contains(path)).toList();
        assertThat(unlisted).as("pages under docs/ that docs/README.md does not list").isEmpty();
    }

    @Test
    void aMissingFileAMissingHeadingAndAMisspelledAnchorAreReported(@TempDir Path folder) throws IOException {
        Files.writeString(folder.resolve("target.md"), "# Agent runs (`agent/`)\n\n## Trade-offs to discuss\n\n## Notes\n\n## Notes\n");
        Files.writeString(folder.resolve("page.md"), """
                # Page
                [fine](target.md) [fine too](target.md#agent-runs-agent) [second notes](target.md#notes-1)
                [own heading](#page) [web](https://example.org/x.md) `[in code](nowhere.md)`
                [gone](missing.md) [no heading](target.md#agent-runs) [wrong](#pages)
                ```
                [in a fence](nowhere.md)
                ```
                [ref]: ./missing-too.md
                """);
        List<String> broken = new LinkCheck().broken(List.of(MarkdownFile.read(folder.resolve("page.md"))));
        assertThat(broken).hasSize(4)
                .anySatisfy(line -> assertThat(line).contains("page.md:4: missing.md -> no such file"))
                .anySatisfy(line -> assertThat(line).contains("target.md#agent-runs -> no heading"))
                .anySatisfy(line -> assertThat(line).contains("#pages -> no heading"))
                .anySatisfy(line -> assertThat(line).contains("page.md:8: ./missing-too.md -> no such file"));
    }

    @Test
    void anchorsAreSpelledAsGitHubSpellsThem() {
        assertThat(MarkdownFile.slug("Agent runs (`agent/`)")).isEqualTo("agent-runs-agent");
        assertThat(MarkdownFile.slug("Since the documents wave (2026-12)")).isEqualTo("since-the-documents-wave-2026-12");
        assertThat(MarkdownFile.slug("2.3 Tools: when, and when not")).isEqualTo("23-tools-when-and-when-not");
        assertThat(MarkdownFile.slug("See [the map](study-map.md)")).isEqualTo("see-the-map");
    }
}
