package dev.genaiplatform.orchestrator.semantic;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The semantic cache's threshold, calibrated on the committed pair set (src/test/resources/semantic/pairs.tsv):
 * for each threshold, the share of paraphrases that hit and the share of near-misses that would wrongly hit, with
 * and without the agreement check. The real MiniLM model embeds every question. The curve in the README is this
 * test's output.
 */
class SemanticCacheCalibrationTests {

    private static final QuestionEmbedder EMBEDDER = new QuestionEmbedder();
    private static final List<Pair> PARAPHRASES = new ArrayList<>();
    private static final List<Pair> NEAR_MISSES = new ArrayList<>();

    record Pair(String cached, String incoming, double similarity) {
    }

    @BeforeAll
    static void embedThePairs() throws IOException {
        try (InputStream in = SemanticCacheCalibrationTests.class.getResourceAsStream("/semantic/pairs.tsv")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList()) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] columns = line.split("\t");
                Pair pair = new Pair(columns[1], columns[2],
                        QuestionEmbedder.cosine(EMBEDDER.embed(columns[1]), EMBEDDER.embed(columns[2])));
                (columns[0].equals("paraphrase") ? PARAPHRASES : NEAR_MISSES).add(pair);
            }
        }
    }

    @Test
    void atTheConfiguredThresholdWrongHitsStayAtMostOnePercentWhileHalfTheParaphrasesHit() {
        double threshold = new SemanticCacheSettings(true, 0.90, null, 0).threshold();
        System.out.printf(Locale.ROOT, "%n| threshold | paraphrase hit rate | wrong-hit rate, similarity only | wrong-hit rate, + numbers/names/negation | paraphrase hit rate, full check | wrong-hit rate, full check |%n|---|---|---|---|---|---|%n");
        for (int t = 70; t <= 98; t += 2) {
            double at = t / 100.0;
            System.out.printf(Locale.ROOT, "| %.2f | %.2f | %.2f | %.2f | %.2f | %.2f |%n", at,
                    rate(PARAPHRASES, at, Check.NONE), rate(NEAR_MISSES, at, Check.NONE),
                    rate(NEAR_MISSES, at, Check.FACTS), rate(PARAPHRASES, at, Check.FULL),
                    rate(NEAR_MISSES, at, Check.FULL));
        }
        System.out.printf(Locale.ROOT, "(%d paraphrases, %d near-misses)%n", PARAPHRASES.size(), NEAR_MISSES.size());

        NEAR_MISSES.stream().filter(p -> p.similarity() >= threshold && AnswerAgreement.agree(p.cached(), p.incoming()))
                .forEach(p -> System.out.println("wrong hit: " + p));
        assertThat(rate(NEAR_MISSES, threshold, Check.FULL)).isLessThanOrEqualTo(0.01);
        assertThat(rate(PARAPHRASES, threshold, Check.FULL)).isGreaterThanOrEqualTo(0.5);
    }

    @Test
    void theAgreementCheckRefusesOtherNumbersNamesAndPolarity() {
        assertThat(AnswerAgreement.agree("Is a refund possible after 30 days?", "Is a refund possible after 60 days?")).isFalse();
        assertThat(AnswerAgreement.agree("Where is the API key for Acme?", "Where is the API key for Globex?")).isFalse();
        assertThat(AnswerAgreement.agree("Can I use sim-large?", "Can I not use sim-large?")).isFalse();
        assertThat(AnswerAgreement.agree("Can I use sim-large?", "Can't I use sim-large?")).isFalse();
        assertThat(AnswerAgreement.agree("How do I reset my password?", "What are the steps to reset my password?")).isTrue();
    }

    enum Check { NONE, FACTS, FULL }

    private static double rate(List<Pair> pairs, double threshold, Check check) {
        long hits = pairs.stream().filter(p -> p.similarity() >= threshold && switch (check) {
            case NONE -> true;
            case FACTS -> AnswerAgreement.sameFacts(p.cached(), p.incoming());
            case FULL -> AnswerAgreement.agree(p.cached(), p.incoming());
        }).count();
        return (double) hits / pairs.size();
    }
}
