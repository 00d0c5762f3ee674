package dev.genaiplatform.gateway.token;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KeySealerTests {

    private static final String SECRET = "a-secret-of-at-least-thirty-two-characters";

    private final KeySealer sealer = new KeySealer(SECRET);

    @Test
    void opensWhatItSealedAndTheSealedFormHidesThePlaintext() {
        byte[] sealed = sealer.seal("kid-1", "{\"d\":\"private\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("private");
        assertThat(new String(sealer.open("kid-1", sealed), StandardCharsets.UTF_8)).isEqualTo("{\"d\":\"private\"}");
    }

    @Test
    void sealingTwiceGivesDifferentBytes() {
        byte[] plaintext = "same".getBytes(StandardCharsets.UTF_8);
        assertThat(sealer.seal("kid-1", plaintext)).isNotEqualTo(sealer.seal("kid-1", plaintext));
    }

    @Test
    void refusesAnotherSecretAnotherKeyIdAndAlteredBytes() {
        byte[] sealed = sealer.seal("kid-1", "key".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> new KeySealer(SECRET + "x").open("kid-1", sealed))
            .isInstanceOf(KeySealer.WrongSecretException.class);
        assertThatThrownBy(() -> sealer.open("kid-2", sealed)).isInstanceOf(KeySealer.WrongSecretException.class);
        byte[] altered = sealed.clone();
        altered[altered.length - 1] ^= 1;
        assertThatThrownBy(() -> sealer.open("kid-1", altered)).isInstanceOf(KeySealer.WrongSecretException.class);
        assertThatThrownBy(() -> sealer.open("kid-1", new byte[3])).isInstanceOf(KeySealer.WrongSecretException.class);
    }

    @Test
    void refusesAShortSecret() {
        assertThatThrownBy(() -> new KeySealer("short")).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("at least 32");
        assertThatThrownBy(() -> new KeySealer(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
