package dev.genaiplatform.retrieval.search;

import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.springframework.ai.document.Document;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Retrieve → read → retrieve again, without a generative model: after each hop, the names the best passages
 * introduce (capitalised words other than stop words, identifiers with digits or hyphens, {@code #channels}) that the query did not
 * contain are appended to the query, and the next hop searches with it. "Who leads the team that owns the
 * invoice-store?" finds "owned by team Heron", and the second hop's query, now naming Heron, finds Heron's lead.
 * Results of all hops are fused by reciprocal rank, so a passage found by the first hop keeps its place.
 *
 * <p>Bounded: at most {@code maxHops} searches, at most {@value #NEW_TERMS} new terms per hop, and it stops early
 * when a hop introduces nothing new. What it does not do: read the passages for meaning (it can follow a name,
 * not a description such as "the team that was reorganised last year"), or decide which entity matters when the
 * first passages name several; an LLM-driven loop in the orchestrator would.
 */
public final class MultiHopRetriever {

    private static final Pattern ENTITY = Pattern.compile("#[\\p{L}\\d-]+|\\b\\p{Lu}[\\p{L}\\d-]+|\\b[\\p{L}]*\\d[\\p{L}\\d-]*|\\b\\p{L}+-[\\p{L}-]+");
    private static final int NEW_TERMS = 6;
    private static final int PASSAGES_READ = 2;
    private static final int RRF_K = 60;

    private final BiFunction<String, Integer, List<Document>> search;
    private final int maxHops;

    /** @param search one hop: (query, topK) → passages best first, already inside the caller's access scope */
    public MultiHopRetriever(BiFunction<String, Integer, List<Document>> search, int maxHops) {
        if (maxHops < 1 || maxHops > 3) {
            throw new IllegalArgumentException("hops must be between 1 and 3");
        }
        this.search = search;
        this.maxHops = maxHops;
    }

    /** The fused passages, and the query each hop ran (for the trace). */
    public record Result(List<Document> documents, List<String> queries) {
    }

    public Result retrieve(String query, int topK) {
        List<String> queries = new ArrayList<>();
        List<List<Document>> hops = new ArrayList<>();
        String current = query;
        Set<String> known = words(query);
        for (int hop = 0; hop < maxHops; hop++) {
            queries.add(current);
            List<Document> found = search.apply(current, topK);
            hops.add(found);
            List<String> fresh = new ArrayList<>();
            for (Document passage : found.subList(0, Math.min(PASSAGES_READ, found.size()))) {
                Matcher matcher = ENTITY.matcher(passage.getText() == null ? "" : passage.getText());
                while (matcher.find() && fresh.size() < NEW_TERMS) {
                    String term = matcher.group();
                    boolean stopWord = EnglishAnalyzer.ENGLISH_STOP_WORDS_SET.contains(term.toLowerCase(Locale.ROOT));
                    if (!stopWord && known.add(term.toLowerCase(Locale.ROOT))) {
                        fresh.add(term);
                    }
                }
            }
            if (fresh.isEmpty()) {
                break;
            }
            current = current + " " + String.join(" ", fresh);
        }
        return new Result(fuse(hops, topK), queries);
    }

    /** Reciprocal rank fusion of several rankings (hops, or the queries of a rewrite); the first ranking wins ties. */
    public static List<Document> fuse(List<List<Document>> hops, int topK) {
        Map<String, Document> byId = new LinkedHashMap<>();
        Map<String, Double> score = new LinkedHashMap<>();
        for (List<Document> hop : hops) {
            for (int rank = 0; rank < hop.size(); rank++) {
                Document document = hop.get(rank);
                byId.putIfAbsent(document.getId(), document);
                score.merge(document.getId(), 1.0 / (RRF_K + rank + 1), Double::sum);
            }
        }
        return score.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(topK)
                .map(e -> byId.get(e.getKey()).mutate().score(e.getValue()).build()).toList();
    }

    private static Set<String> words(String text) {
        Set<String> words = new LinkedHashSet<>();
        for (String word : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\d#-]+")) {
            if (!word.isBlank()) {
                words.add(word);
            }
        }
        return words;
    }
}
