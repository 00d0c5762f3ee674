package dev.genaiplatform.orchestrator.answer;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ContentTermsTests {

    /** The definition the scan replaced: split at runs of anything that is not a letter or number. */
    private static Set<String> byRegex(String text) {
        Set<String> terms = new LinkedHashSet<>();
        for (String word : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
            if (word.length() >= 2 && !ContentTerms.STOP_WORDS.contains(word)) {
                terms.add(ContentTerms.stem(word));
            }
        }
        return terms;
    }

    @Test
    void findsTheSameTermsInTheSameOrderAsSplittingAtNonLetters() {
        List<String> texts = List.of("", " ", "How does retrieval rank passages?", "  leading and trailing  ",
                "Rankings, ranked; ranking: RANKS!", "x1 2y 42 ½ Ⅻ ٣٤ 𝟙𝟚 über straße ĲSSEL İstanbul",
                "emoji 😀 between words", "tab\tand\nnewline", "a-b_c.d/e", "日本語のテキスト と 中文");
        for (String text : texts) {
            assertThat(ContentTerms.of(text)).as(text).containsExactlyElementsOf(byRegex(text));
        }
    }

    @Test
    void findsTheSameTermsAsSplittingAtNonLettersForRandomText() {
        String alphabet = "abcXYZ019 .,;-_\t\nÄöß½Ⅻ٣日😀İ'\"";
        Random random = new Random(7);
        for (int n = 0; n < 2000; n++) {
            StringBuilder text = new StringBuilder();
            for (int i = random.nextInt(40); i > 0; i--) {
                text.appendCodePoint(alphabet.codePointAt(alphabet.offsetByCodePoints(0,
                        random.nextInt(alphabet.codePointCount(0, alphabet.length())))));
            }
            assertThat(ContentTerms.of(text.toString())).as(text.toString())
                    .containsExactlyElementsOf(byRegex(text.toString()));
        }
    }

    @Test
    void dropsStopWordsAndOneLetterWordsAndStemsTheRest() {
        assertThat(ContentTerms.of("What is the ranking of a passage?")).containsExactly("rank", "passage");
    }

    @Test
    void aNullTextHasNoTerms() {
        assertThat(ContentTerms.of(null)).isEmpty();
    }

    /**
     * Wave 14: a passage's relevance is found by scanning its title, heading and text for the question's terms instead
     * of building the set of all its terms; the share must be the one of the joined text's set, on random texts.
     */
    @Test
    void theOverlapWithSeveralTextsIsTheOverlapWithTheSetOfTheirJoinedText() {
        String alphabet = "abcXYZ019 .,;-_\t\nÄöß½Ⅻ٣日😀İΣ'\"";
        String[] words = {"rank", "ranking", "passages", "passage", "the", "how", "retrieval", "Σίσυφος", "x"};
        Random random = new Random(14);
        for (int n = 0; n < 2000; n++) {
            String[] texts = new String[3];
            for (int t = 0; t < texts.length; t++) {
                if (random.nextInt(6) == 0) {
                    continue;   // null: counts as empty, as the rules' title and heading may be
                }
                StringBuilder text = new StringBuilder();
                for (int i = random.nextInt(30); i > 0; i--) {
                    if (random.nextBoolean()) {
                        text.append(words[random.nextInt(words.length)]);
                    }
                    else {
                        text.appendCodePoint(alphabet.codePointAt(alphabet.offsetByCodePoints(0,
                                random.nextInt(alphabet.codePointCount(0, alphabet.length())))));
                    }
                }
                texts[t] = text.toString();
            }
            Set<String> question = ContentTerms.of(String.join(" ", List.of(words).subList(0, 1 + random.nextInt(words.length))));
            String joined = String.join(" ", java.util.Arrays.stream(texts).map(t -> t == null ? "" : t).toList());
            assertThat(ContentTerms.overlap(question, texts)).as(joined)
                    .isEqualTo(ContentTerms.overlap(question, ContentTerms.of(joined)));
        }
        assertThat(ContentTerms.overlap(ContentTerms.of("ranking passages"), "Ranks", null, "of a passage"))
                .isEqualTo(1.0);
        assertThat(ContentTerms.overlap(ContentTerms.of("ranking passages"), "ranks")).isEqualTo(0.5);
        assertThat(ContentTerms.overlap(Set.of(), "ranks")).isZero();
    }
}
