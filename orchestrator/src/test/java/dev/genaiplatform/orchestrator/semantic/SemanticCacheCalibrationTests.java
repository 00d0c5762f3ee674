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
 *
 * <p>Then the same measurement on a held-out set nobody tuned against (same format; path in the system property
 * {@code semantic.heldOut}, default {@code src/test/resources/semantic/held-out.tsv}; skipped when absent): the
 * threshold stays the one calibrated here, the held-out set only reports, with counts and a 95 % Wilson upper
 * bound on the wrong-hit rate.
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
            read(new String(in.readAllBytes(), StandardCharsets.UTF_8), PARAPHRASES, NEAR_MISSES);
        }
    }

    private static void read(String tsv, List<Pair> paraphrases, List<Pair> nearMisses) {
        for (String line : tsv.lines().toList()) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] columns = line.split("\t");
            if (columns.length < 3) {
                throw new IllegalArgumentException("not kind<TAB>cached<TAB>new: " + line);
            }
            Pair pair = new Pair(columns[1], columns[2],
                    QuestionEmbedder.cosine(EMBEDDER.embed(columns[1]), EMBEDDER.embed(columns[2])));
            (columns[0].equals("paraphrase") ? paraphrases : nearMisses).add(pair);
        }
    }

    /** Where the first held-out set is read from (another file with {@code -Dsemantic.heldOut=<file>}). */
    static final String HELD_OUT = System.getProperty("semantic.heldOut", "src/test/resources/semantic/held-out.tsv");

    /**
     * The first held-out set (2026-12-06, wave 5): written without seeing pairs.tsv, but four versions of the check
     * were measured on it and its failing lines were read for the wave-6 check, so it is a development set now.
     * Guards at what was measured (wave 6: 0.291 hits, 0.003 wrong at 0.90), not at the issue's target (>= 0.5 and
     * <= 0.01), which these checks do not reach.
     */
    @Test
    void onTheHeldOutSetAtTheCalibratedThresholdWrongHitsAndParaphraseHitsAreReported() throws IOException {
        reportHeldOut(java.nio.file.Path.of(HELD_OUT), 0.01, 0.28);
    }

    /**
     * The second held-out set (2026-12-06, wave 6): written by someone who had seen neither pairs.tsv nor the first
     * held-out set nor the check. Its lines are never printed or read to shape the check; only these counts are.
     * Wave-5 check: 0.160 hits, 0.033 wrong (95 % upper 0.060) at 0.90; wave-6 check (same numbers by value, names
     * in any case or hyphenation, comparison synonyms, role swaps refused): 0.183 hits, 0.017 wrong (upper 0.038).
     * Guards at that measurement.
     */
    @Test
    void onTheBlindSecondHeldOutSetTheMeasuredRatesHold() throws IOException {
        reportHeldOut(java.nio.file.Path.of("src/test/resources/semantic/held-out-2.tsv"), 0.025, 0.17);
    }

    private static void reportHeldOut(java.nio.file.Path file, double maxWrongRate, double minHitRate)
            throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.exists(file), "no held-out set at " + file);
        List<Pair> paraphrases = new ArrayList<>();
        List<Pair> nearMisses = new ArrayList<>();
        read(java.nio.file.Files.readString(file), paraphrases, nearMisses);
        double threshold = new SemanticCacheSettings(true, 0.90, null, 0).threshold();

        System.out.printf(Locale.ROOT, "%nHeld-out set %s: %d paraphrases, %d near-misses%n", file,
                paraphrases.size(), nearMisses.size());
        System.out.printf(Locale.ROOT, "| threshold | paraphrase hits, full check | wrong hits, full check | wrong-hit rate, 95 %% upper | paraphrase hit rate, similarity only | wrong-hit rate, similarity only |%n|---|---|---|---|---|---|%n");
        for (int t = 70; t <= 98; t += 2) {
            double at = t / 100.0;
            long hits = count(paraphrases, at, Check.FULL);
            long wrong = count(nearMisses, at, Check.FULL);
            System.out.printf(Locale.ROOT, "| %s%.2f%s | %d (%.3f) | %d (%.3f) | %.3f | %.2f | %.2f |%n",
                    Math.abs(at - threshold) < 1e-9 ? "**" : "", at, Math.abs(at - threshold) < 1e-9 ? "**" : "",
                    hits, (double) hits / paraphrases.size(), wrong, (double) wrong / nearMisses.size(),
                    wilsonUpper(wrong, nearMisses.size()), rate(paraphrases, at, Check.NONE),
                    rate(nearMisses, at, Check.NONE));
        }
        // counts only: printing the held-out lines that fail would invite fitting the checks to them
        double wrongRate = rate(nearMisses, threshold, Check.FULL);
        double hitRate = rate(paraphrases, threshold, Check.FULL);
        System.out.printf(Locale.ROOT, "at %.2f: paraphrase hit rate %.3f, wrong-hit rate %.3f (95 %% upper %.3f)%n",
                threshold, hitRate, wrongRate, wilsonUpper(count(nearMisses, threshold, Check.FULL),
                        nearMisses.size()));
        assertThat(paraphrases).as("a held-out set has paraphrases").isNotEmpty();
        assertThat(nearMisses).as("a held-out set has near-misses").isNotEmpty();
        assertThat(wrongRate).isLessThanOrEqualTo(maxWrongRate);
        assertThat(hitRate).isGreaterThanOrEqualTo(minHitRate);
    }

    /** Upper end of the 95 % Wilson score interval of k successes in n trials. */
    static double wilsonUpper(long k, int n) {
        if (n == 0) {
            return 1.0;
        }
        double z = 1.959964;
        double p = (double) k / n;
        double centre = p + z * z / (2.0 * n);
        double spread = z * Math.sqrt(p * (1 - p) / n + z * z / (4.0 * n * n));
        return (centre + spread) / (1 + z * z / n);
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
        PARAPHRASES.stream().filter(p -> p.similarity() >= threshold && !AnswerAgreement.agree(p.cached(), p.incoming()))
                .forEach(p -> System.out.println("paraphrase refused by the check: " + p));
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
        // quantifiers, comparison and order, direction, time words, what is asked for
        assertThat(AnswerAgreement.agree("Can all admins export reports?", "Can only admins export reports?")).isFalse();
        assertThat(AnswerAgreement.agree("Which plan is cheapest?", "Which plan is most expensive?")).isFalse();
        assertThat(AnswerAgreement.agree("How many users signed up this week?", "How many users signed up last week?")).isFalse();
        assertThat(AnswerAgreement.agree("How do I import contacts?", "How do I export contacts?")).isFalse();
        assertThat(AnswerAgreement.agree("Why did the deploy fail?", "When did the deploy fail?")).isFalse();
        assertThat(AnswerAgreement.agree("Must I verify my email?", "Can I verify my email?")).isFalse();
        // the same question edited in place (a qualifier added, a subject swapped) is refused ...
        assertThat(AnswerAgreement.agree("What is the copay for an urgent care visit?",
                "What is the typical wait for an urgent care visit?")).isFalse();
        // ... a rephrasing that keeps the subject is not
        assertThat(AnswerAgreement.agree("How do I enable two-factor authentication?",
                "How can I turn on two-factor authentication?")).isTrue();
        assertThat(AnswerAgreement.agree("What does the circuit breaker do when a provider fails?",
                "When a provider fails, what does the circuit breaker do?")).isTrue();
    }

    @Test
    void theSameWordsInAnotherOrderAgreeUnlessTheyTradeRoles() {
        assertThat(AnswerAgreement.agree("How do I convert a string to a datetime in Python?",
                "How do I convert a datetime to a string in Python?")).isFalse();
        assertThat(AnswerAgreement.agree("How do I migrate from MySQL to PostgreSQL?",
                "How do I migrate from PostgreSQL to MySQL?")).isFalse();
        assertThat(AnswerAgreement.agree("When is it better to scale up rather than scale out?",
                "When is it better to scale out rather than scale up?")).isFalse();
        assertThat(AnswerAgreement.agree("How do I switch from monthly to annual billing?",
                "How do I switch from annual to monthly billing?")).isFalse();
        // the same roles, moved around in the sentence
        assertThat(AnswerAgreement.agree("Can I transfer money from savings to checking online?",
                "Online, can I transfer money from savings to checking?")).isTrue();
        assertThat(AnswerAgreement.agree("What is the fee to send money to Canada?",
                "To send money to Canada, what is the fee?")).isTrue();
    }

    @Test
    void factsAreComparedByWhatTheyMeanNotHowTheyAreWritten() {
        assertThat(AnswerAgreement.agree("How do I run a cron job every 15 minutes?",
                "How do I run a cron job every fifteen minutes?")).isTrue();
        assertThat(AnswerAgreement.agree("Why was I charged twice this month?", "Why was I charged 2 times this month?"))
                .isTrue();
        assertThat(AnswerAgreement.agree("How do I change the default port in Nginx?",
                "How do I change Nginx's default port?")).isTrue();
        assertThat(AnswerAgreement.agree("How do I configure Git to use another email?",
                "How do I configure git to use another email?")).isTrue();
        assertThat(AnswerAgreement.agree("What is the maximum resolution of the webcam?",
                "What is the highest resolution of the webcam?")).isTrue();
        // and still refused when the fact itself differs
        assertThat(AnswerAgreement.agree("How do I run a cron job every 15 minutes?",
                "How do I run a cron job every fifty minutes?")).isFalse();
        assertThat(AnswerAgreement.agree("How do I change the default port in Nginx?",
                "How do I change the default port in Apache?")).isFalse();
        assertThat(AnswerAgreement.agree("What is the maximum resolution of the webcam?",
                "What is the minimum resolution of the webcam?")).isFalse();
    }

    enum Check { NONE, FACTS, FULL }

    private static double rate(List<Pair> pairs, double threshold, Check check) {
        return (double) count(pairs, threshold, check) / pairs.size();
    }

    private static long count(List<Pair> pairs, double threshold, Check check) {
        return pairs.stream().filter(p -> p.similarity() >= threshold && switch (check) {
            case NONE -> true;
            case FACTS -> AnswerAgreement.sameFacts(p.cached(), p.incoming());
            case FULL -> AnswerAgreement.agree(p.cached(), p.incoming());
        }).count();
    }
}
