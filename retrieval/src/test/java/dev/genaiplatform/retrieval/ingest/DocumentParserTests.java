package dev.genaiplatform.retrieval.ingest;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DocumentParserTests {

    private final DocumentParser parser = new DocumentParser();

    @Test
    void markdownAndTextAreTheirBytesUnchangedSoOffsetsPointIntoTheUpload() {
        String markdown = "\uFEFF# Title\r\n\r\nBody — with ünïcode.\r\n";
        var parsed = parser.parse("notes.MD", markdown.getBytes(StandardCharsets.UTF_8));

        assertThat(parsed.text()).isEqualTo(markdown);
        assertThat(parsed.title()).isEqualTo("Title");
        assertThat(parser.parse("a.txt", "plain".getBytes(StandardCharsets.UTF_8)).title()).isEqualTo("a.txt");
    }

    @Test
    void htmlBecomesParagraphsWithMarkdownHeadingsAndNoScripts() {
        var parsed = parser.parse("page.html", """
                <html><head><title> Guide </title><style>p{}</style></head><body>
                <nav>menu</nav><h1>Guide</h1><p>First   paragraph.</p><h2>Part</h2><ul><li>one</li><li>two</li></ul>
                <script>alert(1)</script></body></html>""".getBytes(StandardCharsets.UTF_8));

        assertThat(parsed.title()).isEqualTo("Guide");
        assertThat(parsed.text()).isEqualTo("# Guide\n\nFirst paragraph.\n\n## Part\n\n- one\n\n- two");
    }

    @Test
    void refusesWhatIsNotReadableText() {
        assertThatThrownBy(() -> parser.parse("x.pdf", "%PDF-garbage".getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOfSatisfying(UnreadableDocumentException.class, e -> assertThat(e.code()).isEqualTo("invalid_file"));
        assertThatThrownBy(() -> parser.parse("x.txt", new byte[] {(byte) 0xFF, (byte) 0xFE, 0}))
                .hasMessageContaining("UTF-8");
        assertThatThrownBy(() -> parser.parse("x.md", " \n\t".getBytes(StandardCharsets.UTF_8))).hasMessageContaining("no text");
        assertThatThrownBy(() -> parser.parse("x.docx", new byte[] {1}))
                .isInstanceOfSatisfying(UnreadableDocumentException.class, e -> assertThat(e.code()).isEqualTo("unsupported_file"));
        assertThat(DocumentParser.supports("a.HTM")).isTrue();
        assertThat(DocumentParser.supports("a.png")).isFalse();
    }
}
