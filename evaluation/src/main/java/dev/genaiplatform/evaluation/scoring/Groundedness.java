package dev.genaiplatform.evaluation.scoring;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Groundedness, offline: the share of an answer's sentences that a cited passage supports. A sentence is
 * supported when at least {@link #SUPPORT_THRESHOLD} of its content words occur in one passage it cites (its
 * own {@code [n]} markers), or, for a sentence without a marker, in any passage the answer cites. Sentences with
 * fewer than {@link #MIN_CONTENT_WORDS} content words ("Yes.") are not judged.
 *
 * <p>Lexical overlap catches an answer that drifts from its sources or cites the wrong passage; it cannot catch
 * a sentence that reuses a passage's words to say something else ("X is not Y" against "X is Y"), and it
 * under-rates a faithful paraphrase. An LLM judge reads meaning but has its own biases; neither is ground truth.
 *
 * @param sentences judged sentences
 * @param supported of those, the ones a cited passage supports
 * @param unsupported the unsupported sentences, for the report
 */
public record Groundedness(int sentences, int supported, List<String> unsupported) {

    static final double SUPPORT_THRESHOLD = 0.6;
    static final int MIN_CONTENT_WORDS = 3;
    private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.!?])(?:\\s*\\[\\d+])*\\s+(?=[^\\s\\[])");
    private static final Pattern MARKER = Pattern.compile("\\[(\\d+)]");

    /** Null score when no sentence could be judged. */
    public Double score() {
        return sentences == 0 ? null : (double) supported / sentences;
    }

    public static Groundedness of(String answer, List<CitedPassage> citations, PassageSource passages) {
        if (answer == null || answer.isBlank()) {
            return new Groundedness(0, 0, List.of());
        }
        List<String> allPassages = new ArrayList<>();
        citations.forEach(c -> passages.text(c).ifPresent(allPassages::add));
        int judged = 0;
        int supported = 0;
        List<String> unsupported = new ArrayList<>();
        for (String sentence : sentences(answer)) {
            Set<String> words = new HashSet<>(Words.contentWords(sentence));
            if (words.size() < MIN_CONTENT_WORDS) {
                continue;
            }
            judged++;
            List<String> candidates = citedBy(sentence, citations, passages).orElse(allPassages);
            if (candidates.stream().anyMatch(passage -> coverage(words, passage) >= SUPPORT_THRESHOLD)) {
                supported++;
            } else {
                unsupported.add(Words.withoutMarkers(sentence));
            }
        }
        return new Groundedness(judged, supported, List.copyOf(unsupported));
    }

    /** Sentences as the answer wrote them; a marker after the full stop stays with its sentence. */
    static List<String> sentences(String answer) {
        List<String> result = new ArrayList<>();
        int start = 0;
        Matcher end = SENTENCE_END.matcher(answer);
        while (end.find()) {
            result.add(answer.substring(start, end.end()).trim());
            start = end.end();
        }
        if (start < answer.length()) {
            result.add(answer.substring(start).trim());
        }
        return result.stream().filter(s -> !s.isBlank()).toList();
    }

    /** The passages the sentence's own markers name; empty when it has none. */
    private static Optional<List<String>> citedBy(String sentence, List<CitedPassage> citations, PassageSource passages) {
        Set<Integer> markers = new HashSet<>();
        Matcher marker = MARKER.matcher(sentence);
        while (marker.find()) {
            markers.add(Integer.parseInt(marker.group(1)));
        }
        if (markers.isEmpty()) {
            return Optional.empty();
        }
        List<String> texts = new ArrayList<>();
        citations.stream().filter(c -> markers.contains(c.index()))
                .forEach(c -> passages.text(c).ifPresent(texts::add));
        return Optional.of(texts);
    }

    private static double coverage(Set<String> sentenceWords, String passage) {
        Set<String> passageWords = new HashSet<>(Words.contentWords(passage));
        long found = sentenceWords.stream().filter(passageWords::contains).count();
        return (double) found / sentenceWords.size();
    }
}
