package dev.genaiplatform.retrieval.ingest;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.NodeTraversor;
import org.jsoup.select.NodeVisitor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;

/**
 * Turns an uploaded file into the text that is chunked, cited and searched. The format comes from the file
 * name's extension (content sniffing would let a renamed binary through as "text"):
 * <ul>
 *   <li>Markdown ({@code .md}, {@code .markdown}) and plain text ({@code .txt}): the bytes as strict UTF-8, unchanged,
 *       so citation offsets are offsets into the uploaded file itself.</li>
 *   <li>HTML ({@code .html}, {@code .htm}, jsoup): visible text, one paragraph per block element, headings written as
 *       Markdown headings ({@code ## Title}) so the heading-aware chunker keeps the structure; scripts, styles and
 *       navigation dropped. Offsets then refer to this extracted text.</li>
 *   <li>PDF (PDFBox): the text layer, page by page. Scanned PDFs without a text layer have no text and fail
 *       (no OCR here). Encrypted PDFs fail.</li>
 * </ul>
 */
public final class DocumentParser {

    /** Text of a parsed file and the title citations show. */
    public record ParsedDocument(String text, String title) {
    }

    private static final Set<String> MARKDOWN = Set.of("md", "markdown");
    private static final Set<String> TEXT = Set.of("txt", "text");
    private static final Set<String> HTML = Set.of("html", "htm");
    private static final Set<String> PDF = Set.of("pdf");

    public static boolean supports(String filename) {
        String extension = extension(filename);
        return MARKDOWN.contains(extension) || TEXT.contains(extension) || HTML.contains(extension) || PDF.contains(extension);
    }

    public ParsedDocument parse(String filename, byte[] bytes) {
        String extension = extension(filename);
        ParsedDocument parsed;
        if (MARKDOWN.contains(extension)) {
            String text = utf8(bytes);
            parsed = new ParsedDocument(text, markdownTitle(text, filename));
        } else if (TEXT.contains(extension)) {
            parsed = new ParsedDocument(utf8(bytes), filename);
        } else if (HTML.contains(extension)) {
            parsed = html(utf8(bytes), filename);
        } else if (PDF.contains(extension)) {
            parsed = pdf(bytes, filename);
        } else {
            throw new UnreadableDocumentException(UnreadableDocumentException.UNSUPPORTED_FILE,
                    "Files of type '." + extension + "' are not supported: use .md, .txt, .html or .pdf", null);
        }
        if (parsed.text().isBlank()) {
            throw new UnreadableDocumentException(UnreadableDocumentException.INVALID_FILE, "The file contains no text", null);
        }
        return parsed;
    }

    static String extension(String filename) {
        int dot = filename == null ? -1 : filename.lastIndexOf('.');
        return dot < 0 ? "" : filename.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    private static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new UnreadableDocumentException(UnreadableDocumentException.INVALID_FILE,
                    "The file is not valid UTF-8 text", e);
        }
    }

    /** The first level-1 heading (a byte order mark before it ignored), else the fallback. */
    static String markdownTitle(String text, String fallback) {
        return text.lines().map(line -> line.replace("\uFEFF", "").strip()).filter(line -> line.startsWith("# ")).findFirst()
                .map(line -> line.substring(2).strip()).orElse(fallback);
    }

    private static ParsedDocument html(String html, String filename) {
        var document = Jsoup.parse(html);
        document.select("script, style, noscript, nav, template").remove();
        StringBuilder text = new StringBuilder();
        NodeTraversor.traverse(new BlockText(text), document.body());
        String title = document.title().isBlank() ? filename : document.title().strip();
        return new ParsedDocument(text.toString().strip(), title);
    }

    /** Visible text with a blank line around every block and Markdown-style heading lines. */
    private record BlockText(StringBuilder out) implements NodeVisitor {
        @Override
        public void head(Node node, int depth) {
            if (node instanceof TextNode text) {
                String value = text.text();
                if (!value.isBlank()) {
                    out.append(value.replaceAll("\\s+", " "));
                }
            } else if (node instanceof Element element && element.isBlock()) {
                paragraphBreak();
                if (element.normalName().matches("h[1-6]")) {
                    out.append("#".repeat(element.normalName().charAt(1) - '0')).append(' ');
                } else if (element.normalName().equals("li")) {
                    out.append("- ");
                }
            } else if (node instanceof Element element && element.normalName().equals("br")) {
                out.append('\n');
            }
        }

        @Override
        public void tail(Node node, int depth) {
            if (node instanceof Element element && element.isBlock()) {
                paragraphBreak();
            }
        }

        private void paragraphBreak() {
            int end = out.length();
            while (end > 0 && out.charAt(end - 1) == ' ') {
                end--;
            }
            out.setLength(end);
            boolean hasBreak = end >= 2 && out.charAt(end - 1) == '\n' && out.charAt(end - 2) == '\n';
            if (end > 0 && !hasBreak) {
                out.append(out.charAt(end - 1) == '\n' ? "\n" : "\n\n");
            }
        }
    }

    private static ParsedDocument pdf(byte[] bytes, String filename) {
        try (PDDocument document = Loader.loadPDF(bytes)) {
            if (document.isEncrypted()) {
                throw new UnreadableDocumentException(UnreadableDocumentException.INVALID_FILE, "The PDF is encrypted", null);
            }
            String text = new PDFTextStripper().getText(document);
            String title = document.getDocumentInformation() == null ? null : document.getDocumentInformation().getTitle();
            return new ParsedDocument(text, title == null || title.isBlank() ? filename : title.strip());
        } catch (IOException e) {
            throw new UnreadableDocumentException(UnreadableDocumentException.INVALID_FILE,
                    "Not a readable PDF: " + e.getMessage(), e);
        }
    }
}
