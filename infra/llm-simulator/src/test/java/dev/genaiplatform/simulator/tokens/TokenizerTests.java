package dev.genaiplatform.simulator.tokens;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import dev.genaiplatform.simulator.model.ChatMessage;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class TokenizerTests {

    private static final Tokenizer O200K = new Tokenizers().forEncoding(EncodingType.O200K_BASE);

    @Test
    void countsTokensWithTheRealVocabulary() {
        assertThat(O200K.count("hello world")).isEqualTo(2);
        assertThat(O200K.count("You are a helpful assistant.")).isEqualTo(6);
    }

    @Test
    void remembersTheLinesOfALongTextAndAnswersTheSameAsCountingItWhole() {
        Encoding encoding = Encodings.newDefaultEncodingRegistry().getEncoding(EncodingType.O200K_BASE);
        Tokenizer remembering = new Tokenizer(encoding);
        Tokenizer counting = new Tokenizer(encoding, false);
        String passages = "Context passages:\n\n[1] (source: a.md > A)\nThe gateway limits request rates per tenant. "
                .repeat(20);
        String canaried = "Confidential marker: cnry-1a2b3c4d. Never repeat it.\n" + passages;
        String otherCanary = "Confidential marker: cnry-9f8e7d6c. Never repeat it.\n" + passages;

        assertThat(remembering.count(canaried)).isEqualTo(counting.count(canaried));
        int linesOfOnePrompt = remembering.remembered();
        assertThat(remembering.count(otherCanary)).isEqualTo(counting.count(otherCanary));
        assertThat(remembering.remembered()).as("only the new canary line is new").isEqualTo(linesOfOnePrompt + 1);
        assertThat(remembering.count(new String(canaried.toCharArray()))).isEqualTo(counting.count(canaried));
        assertThat(remembering.remembered()).isEqualTo(linesOfOnePrompt + 1);
        assertThat(remembering.count("hello world")).isEqualTo(2);
        assertThat(remembering.remembered()).as("short texts are counted, not remembered")
                .isEqualTo(linesOfOnePrompt + 1);
        assertThat(counting.remembered()).isZero();
    }

    @Test
    void countsLongTextsLineByLineToTheSameTotalAsWhole() throws IOException {
        // fragments chosen to meet every rule of the two splits at a line start: punctuation that takes newlines
        // (and o200k's '/') after it, whitespace runs around newlines, letters with a one-character prefix,
        // numbers, contractions, marks, surrogate pairs, CRLF
        List<String> fragments = List.of("\n", "\n\n", "\r\n", " \n", "\n ", "\t", " ", "  ", "word", "Word", "WORD",
                "x", "123", "4567", "[1]", "[", "]", ".", ",", "/", "//", "'s", "'LL", "-", "--", "(source: a.md > B)",
                "é", "naïve", "Zürich", "日本語", "👋🏽", "e\u0301", "\u00a0", "\u2028", "½", "Ⅻ", "#", "> ", "`code`", "**");
        List<String> texts = randomTexts(fragments, new Random(8), Tokenizer.REMEMBER_FROM_CHARS, 1_500);
        for (EncodingType type : List.of(EncodingType.O200K_BASE, EncodingType.CL100K_BASE)) {
            Encoding encoding = Encodings.newDefaultEncodingRegistry().getEncoding(type);
            Tokenizer remembering = new Tokenizer(encoding);
            for (String text : texts) {
                int whole = encoding.countTokensOrdinary(text);
                assertThat(remembering.count(text)).as("%s: %s", type, text).isEqualTo(whole);
                assertThat(remembering.count(text)).as("%s, remembered: %s", type, text).isEqualTo(whole);
            }
        }
    }

    @Test
    void splitsLongTextsSentenceBySentenceIntoTheSamePiecesAsWhole() throws IOException {
        List<String> fragments = List.of(". ", "! ", "? ", "] ", " [1]", " [12] ", "[", "]", ".", " ", "  ", "\n", "word",
                "Word", "WORD", "x", "123", "'s", "'LL", "-", "/", "(a.md > B)", "é", "Zürich", "日本語", "👋🏽", "e\u0301",
                "\u00a0", "\t", "½", "\"", "…", ". The", "] The", "? [2]");
        List<String> texts = randomTexts(fragments, new Random(13), Tokenizer.REMEMBER_SENTENCES_FROM_CHARS, 600);
        for (EncodingType type : List.of(EncodingType.O200K_BASE, EncodingType.CL100K_BASE)) {
            Encoding encoding = Encodings.newDefaultEncodingRegistry().getEncoding(type);
            Tokenizer remembering = new Tokenizer(encoding);
            Tokenizer whole = new Tokenizer(encoding, false);
            for (String text : texts) {
                List<TokenPiece> expected = whole.pieces(text);
                assertThat(remembering.pieces(text)).as("%s: %s", type, text).isEqualTo(expected);
                assertThat(remembering.pieces(text)).as("%s, remembered: %s", type, text).isEqualTo(expected);
            }
            assertThat(remembering.rememberedSentences()).isPositive();
        }
    }

    /** 1,500 texts of random fragments, each at least {@code minChars} long (plus up to {@code extraChars}), and the README. */
    private static List<String> randomTexts(List<String> fragments, Random random, int minChars, int extraChars)
            throws IOException {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 1_500; i++) {
            StringBuilder text = new StringBuilder();
            while (text.length() < minChars + random.nextInt(extraChars)) {
                text.append(fragments.get(random.nextInt(fragments.size())));
            }
            texts.add(text.toString());
        }
        texts.add(Files.readString(Path.of("README.md")));
        return texts;
    }

    @Test
    void forgetsEverythingRatherThanGrowPastItsBound() {
        Tokenizer tokenizer = new Tokenizer(Encodings.newDefaultEncodingRegistry().getEncoding(EncodingType.O200K_BASE));
        String block = "word ".repeat(Tokenizer.REMEMBER_FROM_CHARS / 5 + 1);
        long fit = Tokenizer.REMEMBERED_CHARS / block.length();
        for (int i = 0; i <= fit; i++) {
            tokenizer.count(block + i);
        }

        assertThat(tokenizer.remembered()).isLessThanOrEqualTo((int) fit);
    }

    @Test
    void countsAPromptAsOpenAiDocumentsIt() {
        List<ChatMessage> messages = List.of(new ChatMessage("system", "You are a helpful assistant."),
                new ChatMessage("user", "Hi"));

        // 3 priming + (3 framing + "system" 1 + 6) + (3 framing + "user" 1 + "Hi" 1)
        assertThat(O200K.countPrompt(messages)).isEqualTo(3 + 10 + 5);
    }

    @Test
    void countsANameAsItsTokensPlusOne() {
        List<ChatMessage> anonymous = List.of(new ChatMessage("user", "Hi"));
        List<ChatMessage> named = List.of(new ChatMessage("user", "Hi", "hello"));

        assertThat(O200K.countPrompt(named) - O200K.countPrompt(anonymous)).isEqualTo(2);
    }

    @Test
    void splitsTextIntoOneTokenPiecesThatJoinBackToTheText() {
        List<TokenPiece> pieces = O200K.pieces("You are a helpful assistant.");

        assertThat(pieces).extracting(TokenPiece::text)
                .containsExactly("You", " are", " a", " helpful", " assistant", ".");
        assertThat(pieces).allSatisfy(piece -> assertThat(piece.tokens()).isEqualTo(1));
    }

    @Test
    void keepsTheTokensOfOneCharacterTogether() {
        String text = "Grüße 👋🏽 from Zürich — naïve café";

        List<TokenPiece> pieces = O200K.pieces(text);

        assertThat(pieces.stream().map(TokenPiece::text).collect(Collectors.joining())).isEqualTo(text);
        assertThat(pieces).noneSatisfy(piece -> assertThat(piece.text()).contains("\uFFFD"));
        assertThat(pieces.stream().mapToInt(TokenPiece::tokens).sum()).isEqualTo(O200K.count(text));
        assertThat(pieces).anySatisfy(piece -> assertThat(piece.tokens()).isGreaterThan(1));
    }
}
