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
