package dev.genaiplatform.retrieval.ingest;

/**
 * A file that cannot be turned into text. {@code code} is OpenAI's {@code last_error.code} vocabulary for a
 * vector store file: {@code invalid_file} (corrupt, empty, not text) or {@code unsupported_file} (a format this
 * service does not read).
 */
public class UnreadableDocumentException extends RuntimeException {

    public static final String INVALID_FILE = "invalid_file";
    public static final String UNSUPPORTED_FILE = "unsupported_file";

    private final String code;

    public UnreadableDocumentException(String code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
