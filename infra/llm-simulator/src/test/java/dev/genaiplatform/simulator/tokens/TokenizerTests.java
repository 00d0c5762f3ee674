package dev.genaiplatform.simulator.tokens;

import com.knuddels.jtokkit.api.EncodingType;
import dev.genaiplatform.simulator.model.ChatMessage;
import org.junit.jupiter.api.Test;

import java.util.List;
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
    void remembersTheCountOfALongTextAndAnswersTheSameAsCountingItAgain() {
        com.knuddels.jtokkit.api.Encoding encoding = com.knuddels.jtokkit.Encodings.newDefaultEncodingRegistry()
                .getEncoding(EncodingType.O200K_BASE);
        Tokenizer remembering = new Tokenizer(encoding);
        Tokenizer counting = new Tokenizer(encoding, false);
        String passages = "Context passages:\n\n[1] (source: a.md > A)\nThe gateway limits request rates per tenant. "
                .repeat(20);
        String copy = new String(passages.toCharArray()); // equal text, another instance

        assertThat(remembering.count(passages)).isEqualTo(counting.count(passages));
        assertThat(remembering.count(copy)).isEqualTo(counting.count(passages));
        assertThat(remembering.remembered()).isEqualTo(1);
        assertThat(remembering.count("hello world")).isEqualTo(2);
        assertThat(remembering.remembered()).as("short texts are counted, not remembered").isEqualTo(1);
        assertThat(counting.remembered()).isZero();
    }

    @Test
    void forgetsEverythingRatherThanGrowPastItsBound() {
        Tokenizer tokenizer = new Tokenizer(com.knuddels.jtokkit.Encodings.newDefaultEncodingRegistry()
                .getEncoding(EncodingType.O200K_BASE));
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
