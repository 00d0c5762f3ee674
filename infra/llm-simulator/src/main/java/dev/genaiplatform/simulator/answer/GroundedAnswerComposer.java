package dev.genaiplatform.simulator.answer;

import dev.genaiplatform.simulator.model.ChatMessage;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The simulated model's "mind": answers the last user message by quoting the most relevant sentences of
 * the numbered context passages in the system message, each followed by {@code [n]}. Extractive, so it
 * never says anything its context does not say, and deterministic: the same messages always give the
 * same answer. When no sentence is relevant enough it says {@link #I_DONT_KNOW}.
 *
 * <p>Sentences are chosen by BM25 score (see {@link SentenceRanker}) and then written in the order they
 * appear in the prompt, which reads better than score order when two come from the same passage.
 */
public final class GroundedAnswerComposer {

    public static final String I_DONT_KNOW = "I don't know. The provided context does not answer that question.";

    /** A sentence that already holds "[3]" would add a citation the model never meant. */
    private static final Pattern CITATION_MARKER = Pattern.compile("\\[\\d+]");
    private static final int MIN_WORDS = 3;
    /** Characters of passages whose sentences are kept at most; past it, everything is forgotten at once. */
    static final long REMEMBERED_PASSAGE_CHARS = 2_000_000;

    private final TermAnalyzer analyzer;
    private final int maxSentences;
    private final double minRelevance;
    /**
     * The quotable sentences of passages already read, with their terms, by the passage's exact text. The same
     * passages come back whenever the same documents are retrieved, and splitting and analysing them again was
     * about a fifth of an instant answer's CPU (README "Wave 8"). Both steps depend only on the passage's text, so
     * no answer changes; which sentences a request may quote (the first copy of each) is still decided per request.
     */
    private final ConcurrentHashMap<String, List<Sentence>> sentencesByPassage = new ConcurrentHashMap<>();
    private final AtomicLong rememberedChars = new AtomicLong();

    private record Sentence(String text, List<String> terms) {
    }

    public GroundedAnswerComposer(int maxSentences, double minRelevance) {
        this(TermAnalyzer.english(), maxSentences, minRelevance);
    }

    GroundedAnswerComposer(TermAnalyzer analyzer, int maxSentences, double minRelevance) {
        this.analyzer = analyzer;
        this.maxSentences = maxSentences;
        this.minRelevance = minRelevance;
    }

    public GroundedAnswer compose(List<ChatMessage> messages) {
        return compose(messages, maxSentences, minRelevance);
    }

    /** As {@link #compose(List)}, with a model profile's own limits: a "better" model quotes more. */
    public GroundedAnswer compose(List<ChatMessage> messages, int maxSentences, double minRelevance) {
        List<String> question = analyzer.terms(lastUserMessage(messages));
        List<SentenceRanker.Ranked> chosen = SentenceRanker.best(question, candidates(messages),
                maxSentences, minRelevance);
        if (chosen.isEmpty()) {
            return new GroundedAnswer(I_DONT_KNOW, List.of());
        }
        List<SentenceRanker.Candidate> inPromptOrder = chosen.stream()
                .map(SentenceRanker.Ranked::candidate)
                .sorted(Comparator.comparingInt(SentenceRanker.Candidate::ordinal))
                .toList();
        String text = inPromptOrder.stream()
                .map(c -> c.text() + " [" + c.passage() + "]")
                .collect(Collectors.joining(" "));
        return new GroundedAnswer(text, inPromptOrder.stream().map(SentenceRanker.Candidate::passage).toList(),
                inPromptOrder.stream().map(c -> new GroundedAnswer.Quote(c.text(), c.passage(), c.source())).toList());
    }

    private static String lastUserMessage(List<ChatMessage> messages) {
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i).isUser()) {
                return messages.get(i).content();
            }
        }
        return "";
    }

    /** Every quotable sentence of every passage in the system (or developer) messages, first copy only. */
    private List<SentenceRanker.Candidate> candidates(List<ChatMessage> messages) {
        List<SentenceRanker.Candidate> candidates = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (ChatMessage message : messages) {
            if (!message.isInstruction()) {
                continue;
            }
            for (ContextPassage passage : ContextPassage.parseAll(message.content())) {
                for (Sentence sentence : quotableSentences(passage.text())) {
                    if (seen.add(sentence.text())) {
                        candidates.add(new SentenceRanker.Candidate(passage.number(), passage.source(),
                                candidates.size(), sentence.text(), sentence.terms()));
                    }
                }
            }
        }
        return candidates;
    }

    private List<Sentence> quotableSentences(String passage) {
        List<Sentence> known = sentencesByPassage.get(passage);
        if (known != null) {
            return known;
        }
        List<Sentence> sentences = new ArrayList<>();
        for (String sentence : SentenceSplitter.sentences(passage)) {
            if (quotable(sentence)) {
                sentences.add(new Sentence(sentence, List.copyOf(analyzer.terms(sentence))));
            }
        }
        if (rememberedChars.addAndGet(passage.length()) > REMEMBERED_PASSAGE_CHARS) {
            // bounded without bookkeeping per entry: start over (a race here only makes the bound approximate)
            sentencesByPassage.clear();
            rememberedChars.set(passage.length());
        }
        List<Sentence> kept = List.copyOf(sentences);
        sentencesByPassage.put(passage, kept);
        return kept;
    }

    /** Passages whose sentences are remembered (for tests). */
    int rememberedPassages() {
        return sentencesByPassage.size();
    }

    /** Long enough to say something, not an introduction to a list, and free of citation markers. */
    private static boolean quotable(String sentence) {
        return sentence.split(" ").length >= MIN_WORDS
                && !sentence.endsWith(":")
                && !CITATION_MARKER.matcher(sentence).find();
    }
}
