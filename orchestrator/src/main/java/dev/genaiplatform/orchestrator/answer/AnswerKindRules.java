package dev.genaiplatform.orchestrator.answer;

import dev.genaiplatform.contracts.retrieval.RetrievedChunk;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.ToDoubleFunction;
import java.util.regex.Pattern;

/**
 * Decides, before any model call, whether a grounded request gets an answer, a clarifying question or an honest
 * "I don't know". Deterministic and cheap (word sets, no model), so the same request always gets the same kind and
 * a reader can say why. Three rules, in this order:
 *
 * <ol>
 *   <li><b>Unresolved reference</b> ({@code clarifying_question}): the request has no earlier turn, at most
 *       {@code max-content-terms} content words, and a pronoun that must point outside it ("how do I configure
 *       it?"). With no history there is nothing it can refer to.</li>
 *   <li><b>Ambiguous short request</b> ({@code clarifying_question}): a request of at most
 *       {@code max-content-terms} content words that is not phrased as a question, whose two best passages come
 *       from different documents, both contain its words, and score within {@code score-margin} of each other
 *       ("timeouts" matching the gateway's and the model's timeouts equally well).</li>
 *   <li><b>No support</b> ({@code abstained}): no passage, or no passage containing at least
 *       {@code min-relevance} of the question's content words.</li>
 * </ol>
 * None applies to requests that do not need the sources (tools, tool results, structured output) or that have
 * earlier turns (a follow-up may be answered from the conversation, and retrieval searched with its last line only).
 *
 * <p>Limits: word overlap has no synonyms, so a paraphrase that shares no word with the right passage abstains
 * (keep {@code min-relevance} low); a short request that is meant as a keyword search may get a question back.
 */
public final class AnswerKindRules {

    /** Pronouns that need an antecedent. */
    private static final Set<String> REFERENCES = Set.of("it", "its", "this", "that", "these", "those", "they",
            "them", "their", "he", "she", "him", "her");
    private static final Set<String> DETERMINERS = Set.of("this", "that", "these", "those");
    private static final Pattern QUESTION_START = Pattern.compile(
            "^(what|which|who|whom|whose|when|where|why|how|is|are|was|were|do|does|did|can|could|should|would|will|may|explain|describe|list|compare|tell|show)\\b");

    private final AnswerKindSettings settings;

    public AnswerKindRules(AnswerKindSettings settings) {
        this.settings = settings;
    }

    /** The sentence the prompt tells the model to say when it does not know (also what an abstention says). */
    public String abstainMessage() {
        return this.settings.abstain().message();
    }

    /** What to do with the request. */
    public sealed interface Decision {
    }

    /** Call the model. */
    public record Answer() implements Decision {
    }

    /** Say plainly that the sources do not answer it. */
    public record Abstain(String message, String why) implements Decision {
    }

    /** Ask which meaning is meant; {@code options} are document titles the user can pick from. */
    public record Clarify(String question, List<String> options, String why) implements Decision {
    }

    /**
     * @param question     the last user message, as guardrails let it through
     * @param needsSources false for tool turns and structured output: the grounded rules do not apply
     * @param hasHistory   true when earlier turns exist (in the request or in conversation memory)
     * @param passages     retrieval's passages that may go into the prompt, best first
     */
    public Decision decide(String question, boolean needsSources, boolean hasHistory, List<RetrievedChunk> passages) {
        return decide(question, needsSources, hasHistory, passages, null);
    }

    /**
     * The same with each passage's {@link #relevance} to this question already computed (the chat flow computes it
     * for the answer's trace), so it is not computed again; null: computed here.
     */
    public Decision decide(String question, boolean needsSources, boolean hasHistory, List<RetrievedChunk> passages,
                           ToDoubleFunction<RetrievedChunk> knownRelevance) {
        if (!needsSources || hasHistory || question == null || question.isBlank()) {
            return new Answer();
        }
        Set<String> terms = ContentTerms.of(question);
        ToDoubleFunction<RetrievedChunk> relevance = knownRelevance != null ? knownRelevance
                : passage -> relevance(terms, passage);
        AnswerKindSettings.Clarify clarify = this.settings.clarify();
        boolean shortRequest = terms.size() <= clarify.maxContentTerms();
        if (clarify.enabled() && shortRequest) {
            String reference = unresolvedReference(question);
            if (reference != null) {
                List<String> options = options(passages);
                return new Clarify(referenceQuestion(reference, options), options,
                        "no earlier turn for \"" + reference + "\" to refer to");
            }
            if (!isQuestion(question) && passages.size() >= 2 && closeAndRelevant(relevance, passages)) {
                List<String> options = options(passages);
                if (options.size() >= 2) {
                    return new Clarify(choiceQuestion(options), options,
                            "short request matching " + options.size() + " documents about equally");
                }
            }
        }
        AnswerKindSettings.Abstain abstain = this.settings.abstain();
        if (abstain.enabled()) {
            if (passages.isEmpty()) {
                return new Abstain(abstain.message(), "no passage retrieved");
            }
            double best = passages.stream().mapToDouble(relevance).max().orElse(0);
            if (!terms.isEmpty() && best < abstain.minRelevance()) {
                return new Abstain(abstain.message(), String.format(Locale.ROOT,
                        "best passage relevance %.2f below %.2f", best, abstain.minRelevance()));
            }
        }
        return new Answer();
    }

    /** The share of the question's content words the passage contains (heading and title count). */
    public static double relevance(Set<String> questionTerms, RetrievedChunk passage) {
        return ContentTerms.overlap(questionTerms, passage.title(), passage.heading(), passage.text());
    }

    private boolean closeAndRelevant(ToDoubleFunction<RetrievedChunk> relevance, List<RetrievedChunk> passages) {
        RetrievedChunk first = passages.get(0);
        RetrievedChunk second = passages.get(1);
        if (document(first).equals(document(second)) || first.score() <= 0) {
            return false;
        }
        boolean close = (first.score() - second.score()) <= this.settings.clarify().scoreMargin() * first.score();
        return close && relevance.applyAsDouble(first) > 0 && relevance.applyAsDouble(second) > 0;
    }

    private List<String> options(List<RetrievedChunk> passages) {
        Set<String> labels = new LinkedHashSet<>();
        for (RetrievedChunk passage : passages) {
            if (labels.size() == this.settings.clarify().maxOptions()) {
                break;
            }
            labels.add(label(passage));
        }
        return new ArrayList<>(labels);
    }

    private static String label(RetrievedChunk passage) {
        if (passage.title() != null && !passage.title().isBlank()) {
            return passage.title().strip();
        }
        String heading = passage.heading();
        if (heading != null && !heading.isBlank()) {
            return heading.split(">")[0].strip();
        }
        return passage.documentPath();
    }

    private static String document(RetrievedChunk passage) {
        return passage.fileId() != null ? passage.fileId() : String.valueOf(passage.documentPath());
    }

    /**
     * The first pronoun that needs an antecedent; "this", "that", "these" and "those" followed by a content word
     * are determiners whose noun resolves them ("this platform"), so they do not count.
     */
    static String unresolvedReference(String question) {
        String[] words = question.toLowerCase(Locale.ROOT).strip().split("[^\\p{L}\\p{N}]+");
        for (int i = 0; i < words.length; i++) {
            if (!REFERENCES.contains(words[i])) {
                continue;
            }
            boolean determiner = DETERMINERS.contains(words[i]) && i + 1 < words.length
                    && !words[i + 1].isEmpty() && !ContentTerms.STOP_WORDS.contains(words[i + 1]);
            if (!determiner) {
                return words[i];
            }
        }
        return null;
    }

    static boolean isQuestion(String text) {
        String trimmed = text.strip().toLowerCase(Locale.ROOT);
        return trimmed.endsWith("?") || QUESTION_START.matcher(trimmed).find();
    }

    private static String referenceQuestion(String reference, List<String> options) {
        String base = "What does \"" + reference + "\" refer to?";
        return options.isEmpty() ? base + " Please name the component or document you mean."
                : base + " For example: " + String.join("; ", options) + ".";
    }

    private static String choiceQuestion(List<String> options) {
        return "Your request matches several topics. Which one do you mean: " + String.join("; ", options) + "?";
    }
}
