package dev.genaiplatform.retrieval.chunking;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class MarkdownHeadingChunkerTests {

    private final MarkdownHeadingChunker chunker = new MarkdownHeadingChunker(1000);

    @Test
    void makesOneChunkPerSectionWithTheNestedHeadingPath() {
        String source = """
                # Architecture

                The platform in one page.

                ## Kafka

                Services talk over Kafka.

                ### Topics

                One topic per command.

                ## HTTP

                The gateway speaks HTTP.
                """;

        List<Chunk> chunks = chunker.chunk("architecture.md", source);

        assertThat(chunks).extracting(Chunk::headingPath).containsExactly(
                "Architecture", "Architecture > Kafka", "Architecture > Kafka > Topics", "Architecture > HTTP");
        assertThat(chunks).extracting(Chunk::id).containsExactly(
                "architecture.md#0", "architecture.md#1", "architecture.md#2", "architecture.md#3");
        assertThat(chunks.get(2).text()).isEqualTo("### Topics\n\nOne topic per command.");
        assertThat(chunks).allSatisfy(chunk -> assertThat(chunk.documentPath()).isEqualTo("architecture.md"));
        assertOffsetsExact(source, chunks);
    }

    @Test
    void treatsHashLinesInsideCodeFencesAsCode() {
        String source = """
                # Setup

                Run this:

                ```bash
                # install the tools
                ## not a heading either
                make install
                ```

                ~~~
                # still code
                ~~~

                ## Next

                Done.
                """;

        List<Chunk> chunks = chunker.chunk("setup.md", source);

        assertThat(chunks).extracting(Chunk::headingPath).containsExactly("Setup", "Setup > Next");
        assertThat(chunks.getFirst().text()).contains("# install the tools", "## not a heading either", "# still code");
        assertOffsetsExact(source, chunks);
    }

    @Test
    void keepsOffsetsExactWithCrlfLineEndsAndNonAsciiText() {
        String source = "\uFEFF# Café ☕\r\n\r\nPrix : 3 €, naïve 🙂 text.\r\n\r\n## Ünïcödé 🚀 ##\r\n\r\n"
                + "Emoji 👩‍💻 and CJK 漢字 survive.\r\n";

        List<Chunk> chunks = chunker.chunk("unicode.md", source);

        assertThat(chunks).extracting(Chunk::headingPath).containsExactly("Café ☕", "Café ☕ > Ünïcödé 🚀");
        assertThat(chunks.getFirst().text()).startsWith("# Café ☕\r\n"); // the byte order mark is left out
        assertThat(chunks.get(1).text()).isEqualTo("## Ünïcödé 🚀 ##\r\n\r\nEmoji 👩‍💻 and CJK 漢字 survive.");
        assertThat(chunks).allSatisfy(chunk -> assertThat(chunk.text()).doesNotEndWith("\r").doesNotEndWith("\n"));
        assertOffsetsExact(source, chunks);
    }

    @Test
    void skipsSectionsWithNothingUnderTheirHeading() {
        String source = """
                # Title

                ## Empty

                ## Filled

                Something.
                """;

        List<Chunk> chunks = chunker.chunk("doc.md", source);

        assertThat(chunks).singleElement().satisfies(chunk -> {
            assertThat(chunk.headingPath()).isEqualTo("Title > Filled");
            assertThat(chunk.id()).isEqualTo("doc.md#0");
        });
    }

    @Test
    void keepsTextBeforeTheFirstHeadingWithAnEmptyPath() {
        String source = "Intro line.\n\n# Title\n\nBody.\n";

        List<Chunk> chunks = chunker.chunk("doc.md", source);

        assertThat(chunks).extracting(Chunk::headingPath).containsExactly("", "Title");
        assertThat(chunks.getFirst().text()).isEqualTo("Intro line.");
        assertOffsetsExact(source, chunks);
    }

    @Test
    void recognisesOnlyRealAtxHeadings() {
        String source = """
                # C#

                #hashtag is text, and so is this:
                    # indented code

                ####### seven hashes is text

                ## Closing hashes ###

                Body.
                """;

        List<Chunk> chunks = chunker.chunk("doc.md", source);

        assertThat(chunks).extracting(Chunk::headingPath).containsExactly("C#", "C# > Closing hashes");
        assertThat(chunks.getFirst().text()).contains("#hashtag", "# indented code", "####### seven");
    }

    @Test
    void resetsDeeperHeadingsWhenAShallowerOneStartsASection() {
        String source = "# A\n\ntext\n\n### A3\n\ntext\n\n## B\n\ntext\n";

        assertThat(chunker.chunk("doc.md", source)).extracting(Chunk::headingPath)
                .containsExactly("A", "A > A3", "A > B");
    }

    @Test
    void splitsALongSectionAtParagraphBoundariesKeepingOffsetsExact() {
        MarkdownHeadingChunker small = new MarkdownHeadingChunker(200);
        String paragraph = "This sentence is about forty-five characters. ";
        StringBuilder source = new StringBuilder("# Long\r\n\r\n## Part\r\n\r\n");
        for (int i = 0; i < 6; i++) {
            source.append(paragraph.repeat(2).strip()).append(" (").append(i).append(")\r\n\r\n");
        }
        source.append("## After\r\n\r\nShort.\r\n");
        String text = source.toString();

        List<Chunk> chunks = small.chunk("long.md", text);

        List<Chunk> part = chunks.stream().filter(c -> c.headingPath().equals("Long > Part")).toList();
        assertThat(part).hasSizeGreaterThan(1);
        assertThat(part).allSatisfy(chunk -> assertThat(chunk.text().length()).isLessThanOrEqualTo(200));
        assertThat(part.getFirst().text()).startsWith("## Part\r\n\r\nThis sentence");
        // every piece ends where a paragraph ends
        assertThat(part).allSatisfy(chunk -> assertThat(chunk.text()).endsWith(")"));
        assertThat(String.join("", part.stream().map(Chunk::text).toList()).replaceAll("\\s", ""))
                .isEqualTo(text.substring(text.indexOf("## Part"), text.indexOf("## After")).replaceAll("\\s", ""));
        assertThat(chunks.getLast().headingPath()).isEqualTo("Long > After");
        assertThat(chunks).extracting(Chunk::id).doesNotHaveDuplicates();
        assertOffsetsExact(text, chunks);
    }

    @Test
    void splitsALongListBetweenItemsNotInsideAWrappedItem() {
        MarkdownHeadingChunker small = new MarkdownHeadingChunker(200);
        StringBuilder source = new StringBuilder("## Steps\n\n");
        for (int i = 1; i <= 6; i++) {
            source.append(i).append(". **Step ").append(i).append(".** The first line of this item is long enough,\n")
                    .append("   and its wrapped second line belongs to the same item ").append(i).append(".\n");
        }
        String text = source.toString();

        List<Chunk> chunks = small.chunk("list.md", text);

        assertThat(chunks).hasSizeGreaterThan(1);
        assertThat(chunks.getFirst().text()).startsWith("## Steps");
        assertThat(chunks.subList(1, chunks.size())).allSatisfy(chunk -> assertThat(chunk.text()).matches("(?s)\\d\\. \\*\\*Step.*"));
        assertThat(chunks).allSatisfy(chunk -> assertThat(chunk.text()).matches("(?s).*same item \\d\\."));
        assertOffsetsExact(text, chunks);
    }

    @Test
    void cutsAParagraphLongerThanTheLimitAtLinesThenAtSpacesWithoutSplittingAnEmoji() {
        MarkdownHeadingChunker small = new MarkdownHeadingChunker(100);
        String longLine = "word🙂 ".repeat(60).strip();
        String noSpaces = "x" + "🙂".repeat(120); // odd offset: a cut at exactly 100 chars would halve an emoji
        String source = "# Title\n\n" + longLine + "\n\n" + noSpaces + "\n";

        List<Chunk> chunks = small.chunk("wide.md", source);

        assertThat(chunks).hasSizeGreaterThan(6);
        assertThat(chunks.getFirst().text()).startsWith("# Title\n\nword🙂");
        assertThat(chunks).allSatisfy(chunk -> {
            assertThat(chunk.text()).doesNotStartWith(" ").doesNotEndWith(" ");
            assertThat(Character.isLowSurrogate(chunk.text().charAt(0))).isFalse();
            assertThat(Character.isHighSurrogate(chunk.text().charAt(chunk.text().length() - 1))).isFalse();
        });
        assertOffsetsExact(source, chunks);
    }

    private static void assertOffsetsExact(String source, List<Chunk> chunks) {
        assertThat(chunks).isNotEmpty().allSatisfy(chunk ->
                assertThat(source.substring(chunk.startOffset(), chunk.endOffset())).isEqualTo(chunk.text()));
        for (int i = 1; i < chunks.size(); i++) {
            assertThat(chunks.get(i).startOffset()).isGreaterThanOrEqualTo(chunks.get(i - 1).endOffset());
        }
    }
}
