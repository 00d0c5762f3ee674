package dev.genaiplatform.evaluation.scoring;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The text of a cited passage, read from the same corpus retrieval ingests (the {@code docs} artifact, on the
 * classpath under {@code platform-docs/}). Citations carry offsets, not text; reading the passage here checks the
 * answer against what the document really says, not against what the platform claims it said.
 * {@link SavedPassages} reads them from a recording instead, for answers recorded against older docs.
 */
public class PassageSource {

    private static final String ROOT = "platform-docs/";

    private final Map<String, Optional<String>> documents = new ConcurrentHashMap<>();

    /** The passage, or empty when the document is unknown or the offsets do not fit it. */
    public Optional<String> text(CitedPassage passage) {
        return document(passage.documentPath()).filter(text -> passage.startOffset() >= 0
                        && passage.startOffset() <= passage.endOffset() && passage.endOffset() <= text.length())
                .map(text -> text.substring(passage.startOffset(), passage.endOffset()));
    }

    /** Whether the corpus has a document at this path (a citation of anything else is made up). */
    public boolean contains(String documentPath) {
        return document(documentPath).isPresent();
    }

    protected Optional<String> document(String path) {
        return documents.computeIfAbsent(path, PassageSource::load);
    }

    private static Optional<String> load(String path) {
        if (path == null || path.contains("..")) {
            return Optional.empty();
        }
        try (InputStream in = PassageSource.class.getClassLoader().getResourceAsStream(ROOT + path)) {
            return in == null ? Optional.empty() : Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
