package dev.genaiplatform.guardrails.output;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The leakage checks' shortcuts change no result: ASCII text split by hand gives the pattern's words and positions,
 * and text without {@code ](} or {@code <img} is text the link pattern cannot match.
 */
class LeakageShortcutsTests {

    @Test
    void asciiTextSplitByHandGivesThePatternsWords() throws IOException {
        List<String> texts = docsParagraphs();
        Random random = new Random(11);
        for (int i = 0; i < 20_000; i++) {
            StringBuilder text = new StringBuilder();
            for (int k = 0, n = random.nextInt(80); k < n; k++) {
                text.append((char) random.nextInt(128)); // every ASCII character, controls included
            }
            texts.add(text.toString());
        }
        int ascii = 0;
        for (String text : texts) {
            if (text.chars().allMatch(c -> c < 0x80)) {
                ascii++;
                List<int[]> byHand = new ArrayList<>();
                List<int[]> byPattern = new ArrayList<>();
                assertThat(LeakageDetectors.asciiWords(text, byHand)).as(text)
                        .isEqualTo(LeakageDetectors.patternWords(text, byPattern));
                assertThat(byHand).as(text).usingRecursiveFieldByFieldElementComparator().isEqualTo(byPattern);
            }
            assertThat(LeakageDetectors.words(text, null)).isEqualTo(LeakageDetectors.patternWords(text, null));
        }
        assertThat(ascii).isGreaterThan(20_000);
    }

    @Test
    void theLinkPatternIsSkippedOnlyOnTextItCannotMatch() throws IOException {
        List<String> texts = docsParagraphs();
        Random random = new Random(13);
        String[] pieces = {"!", "[", "]", "(", ")", "](", "![x](", "<", ">", "<img", "<IMG", "<im", "g", " src=", "src='",
                "\"", "https://", "http://", "evil.example", "/p?q=1", "#frag", "\n", " ", "text", "[1]", "(see",
                "docs.example/a-very-long-path-segment-of-data", "[click](https://evil.example/p?q=1)",
                "![x](http://a.example/c)", "<img src=\"https://x.example/z\">", "<img alt=1 src=https://e.example>",
                "[t] (https://a.example)", "[a\nb](https://a.example)"};
        int matched = 0;
        int skipped = 0;
        for (int i = 0; i < 20_000; i++) {
            StringBuilder text = new StringBuilder();
            for (int k = 0, n = 2 + random.nextInt(12); k < n; k++) {
                text.append(pieces[random.nextInt(pieces.length)]);
            }
            texts.add(text.toString());
        }
        for (String text : texts) {
            boolean found = LeakageDetectors.MARKDOWN_URL.matcher(text).find();
            matched += found ? 1 : 0;
            if (!LeakageDetectors.mayHaveUrl(text)) {
                assertThat(found).as(text).isFalse();
                skipped++;
            }
        }
        assertThat(skipped).isGreaterThan(2_000);
        assertThat(matched).as("the pieces make the pattern match often").isGreaterThan(2_000);
    }

    private static List<String> docsParagraphs() throws IOException {
        Path docs = Files.isDirectory(Path.of("../docs")) ? Path.of("../docs") : Path.of("docs");
        List<String> paragraphs = new ArrayList<>();
        try (Stream<Path> files = Files.walk(docs)) {
            for (Path file : files.filter(path -> path.toString().endsWith(".md")).sorted().toList()) {
                for (String paragraph : Files.readString(file).split("\\n\\s*\\n")) {
                    paragraphs.add(paragraph.strip());
                }
            }
        }
        return paragraphs;
    }
}
