package dev.genaiplatform.simulator.answer;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;

/**
 * What {@code temperature}, {@code top_p} and {@code seed} do to a grounded answer. A grounded answer can
 * be worded in several ways that say the same thing: its quoted sentences in any order (rotations, when
 * there are more than three), preceded by one of a few opening phrases. Variant 0 is the deterministic
 * answer (prompt order, no opening phrase).
 * <ul>
 *   <li>temperature 0 or absent: always variant 0, whatever the seed;</li>
 *   <li>temperature t &gt; 0: a draw among the first {@code ceil(V * min(1, t) * top_p)} variants (at least
 *       one), so low temperatures and small top_p stay close to the deterministic wording;</li>
 *   <li>the draw comes from a generator seeded with the seed and the conversation, so the same seed,
 *       temperature and messages give the same wording; without a seed each request draws afresh.</li>
 * </ul>
 * Quoted sentences and their {@code [n]} markers never change, so citations stay verbatim; "I don't know"
 * never varies.
 */
final class WordingVariation {

    static final List<String> OPENINGS = List.of("", "According to the context passages:",
            "Here is what the provided context says.", "Based on the passages:");

    private WordingVariation() {
    }

    static String vary(GroundedAnswer answer, Sampling sampling, long conversationHash) {
        if (!sampling.varies() || answer.quotes().isEmpty()) {
            return answer.text();
        }
        List<List<GroundedAnswer.Quote>> orders = orders(answer.quotes());
        int variants = orders.size() * OPENINGS.size();
        double topP = sampling.topP() == null ? 1 : sampling.topP();
        int pool = Math.max(1, (int) Math.ceil(variants * Math.min(1, sampling.temperature()) * topP));
        int variant = sampling.seed() == null ? ThreadLocalRandom.current().nextInt(pool)
                : new SplittableRandom(sampling.seed() * 0x9E3779B97F4A7C15L ^ conversationHash).nextInt(pool);
        String opening = OPENINGS.get(variant % OPENINGS.size());
        String body = orders.get(variant / OPENINGS.size()).stream()
                .map(q -> q.text() + " [" + q.passage() + "]")
                .collect(Collectors.joining(" "));
        return opening.isEmpty() ? body : opening + " " + body;
    }

    /** Every order of up to three sentences, prompt order first; beyond three, the rotations. */
    static List<List<GroundedAnswer.Quote>> orders(List<GroundedAnswer.Quote> quotes) {
        List<List<GroundedAnswer.Quote>> orders = new ArrayList<>();
        if (quotes.size() <= 3) {
            permute(new ArrayList<>(), new ArrayList<>(quotes), orders);
        } else {
            for (int shift = 0; shift < quotes.size(); shift++) {
                List<GroundedAnswer.Quote> rotated = new ArrayList<>(quotes.subList(shift, quotes.size()));
                rotated.addAll(quotes.subList(0, shift));
                orders.add(rotated);
            }
        }
        return orders;
    }

    private static void permute(List<GroundedAnswer.Quote> prefix, List<GroundedAnswer.Quote> rest,
                                List<List<GroundedAnswer.Quote>> out) {
        if (rest.isEmpty()) {
            out.add(List.copyOf(prefix));
            return;
        }
        for (int i = 0; i < rest.size(); i++) {
            prefix.add(rest.remove(i));
            permute(prefix, rest, out);
            rest.add(i, prefix.removeLast());
        }
    }
}
