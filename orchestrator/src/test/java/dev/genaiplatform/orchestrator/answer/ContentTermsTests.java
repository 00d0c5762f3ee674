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
}
