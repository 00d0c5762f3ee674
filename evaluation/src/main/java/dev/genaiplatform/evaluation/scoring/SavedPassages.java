package dev.genaiplatform.evaluation.scoring;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Cited passages as they read when the answers were recorded, saved beside the answers (the {@code passages}
 * member of a replay fixture). The docs are also the platform's live corpus and keep changing; a recording scored
 * against today's docs would cite text that moved. Scoring against the saved text keeps a recording's score what
 * it was, whatever happens to the docs later. A citation that was not saved has no text: it counts as unsupported,
 * never as read from the live docs.
 */
public final class SavedPassages extends PassageSource {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Map<String, String> passages;
    private final Set<String> documents;

    private SavedPassages(Map<String, String> passages) {
        this.passages = Map.copyOf(passages);
        this.documents = passages.keySet().stream().map(key -> key.substring(0, key.lastIndexOf('#')))
                .collect(Collectors.toUnmodifiableSet());
    }

    /** The {@code passages} member of a fixture file written by {@code --record}. */
    public static SavedPassages readFrom(Path fixture) {
        try {
            return of(JSON.readTree(fixture.toFile()).path("passages"));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("cannot read saved passages from " + fixture + ": " + e.getMessage(), e);
        }
    }

    /** Passages from a JSON array of {@code {documentPath, startOffset, endOffset, text}}. */
    public static SavedPassages of(JsonNode array) {
        Map<String, String> passages = new LinkedHashMap<>();
        for (JsonNode passage : array) {
            passages.put(key(passage.path("documentPath").asString(), passage.path("startOffset").asInt(),
                    passage.path("endOffset").asInt()), passage.path("text").asString());
        }
        return new SavedPassages(passages);
    }

    /** The JSON array that saves {@code cited}, with their text as {@code corpus} has it now. */
    public static ArrayNode capture(Collection<CitedPassage> cited, PassageSource corpus) {
        ArrayNode array = JSON.createArrayNode();
        cited.stream().map(c -> new CitedPassage(0, c.documentPath(), c.startOffset(), c.endOffset())).distinct()
                .sorted(java.util.Comparator.comparing(CitedPassage::documentPath)
                        .thenComparingInt(CitedPassage::startOffset).thenComparingInt(CitedPassage::endOffset))
                .forEach(passage -> corpus.text(passage).ifPresent(text -> array.addObject()
                        .put("documentPath", passage.documentPath())
                        .put("startOffset", passage.startOffset())
                        .put("endOffset", passage.endOffset())
                        .put("text", text)));
        return array;
    }

    @Override
    public Optional<String> text(CitedPassage passage) {
        return Optional.ofNullable(passages.get(key(passage.documentPath(), passage.startOffset(), passage.endOffset())));
    }

    @Override
    public boolean contains(String documentPath) {
        return documents.contains(documentPath);
    }

    @Override
    protected Optional<String> document(String path) {
        return Optional.empty();
    }

    private static String key(String documentPath, int start, int end) {
        return documentPath + "#" + start + "-" + end;
    }
}
