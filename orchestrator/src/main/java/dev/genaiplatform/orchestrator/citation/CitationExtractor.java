package dev.genaiplatform.orchestrator.citation;

import dev.genaiplatform.contracts.retrieval.RetrievedChunk;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the {@code [n]} markers in an answer into citations of the passages the prompt numbered.
 *
 * <p>Each passage is cited once, in the order the answer first mentions it. A number that names no
 * passage (the model invented it, or it is part of the text, like an array index) is ignored rather than
 * trusted: a citation must point at something the model was actually shown.
 */
public final class CitationExtractor {

    private static final Pattern MARKER = Pattern.compile("\\[(\\d{1,4})]");

    private CitationExtractor() {
    }

    /**
     * @param answer   the model's final answer text
     * @param passages the passages in the prompt; marker {@code [n]} refers to {@code passages.get(n - 1)}
     */
    public static List<Citation> extract(String answer, List<RetrievedChunk> passages) {
        if (answer == null || answer.isEmpty() || passages.isEmpty()) {
            return List.of();
        }
        Set<Integer> numbers = new LinkedHashSet<>();
        Matcher marker = MARKER.matcher(answer);
        while (marker.find()) {
            int number = Integer.parseInt(marker.group(1));
            if (number >= 1 && number <= passages.size()) {
                numbers.add(number);
            }
        }
        List<Citation> citations = new ArrayList<>(numbers.size());
        for (int number : numbers) {
            RetrievedChunk chunk = passages.get(number - 1);
            citations.add(new Citation(number, chunk.chunkId(), chunk.documentPath(), chunk.heading(),
                    chunk.startOffset(), chunk.endOffset(), chunk.score()));
        }
        return citations;
    }
}
