package dev.genaiplatform.guardrails.pii;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A recognizer the detector skips ({@code mayFind} false: no ASCII digit, no {@code @}) finds nothing on that text,
 * so skipping it changes no result: checked on the Presidio development set, the docs, and random texts of
 * letters, punctuation, non-ASCII digits and separators with and without ASCII digits.
 */
class PiiPrefilterTests {

    @Test
    void aSkippedRecognizerWouldHaveFoundNothing() throws IOException {
        List<String> texts = new ArrayList<>(presidioDevTexts());
        texts.addAll(docsParagraphs());
        Random random = new Random(3);
        String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFXYZ .,-+()/:@_=\n٣٤५६１２";
        for (int i = 0; i < 5_000; i++) {
            StringBuilder text = new StringBuilder();
            for (int k = 0, n = 10 + random.nextInt(60); k < n; k++) {
                text.append(random.nextInt(4) == 0 ? (char) ('0' + random.nextInt(10))
                        : alphabet.charAt(random.nextInt(alphabet.length())));
            }
            texts.add(text.toString());
            texts.add(text.toString().replaceAll("[0-9]", ""));
        }
        PiiDetector detector = new PiiDetector();
        int skipped = 0;
        for (String text : texts) {
            for (PiiRecognizer recognizer : detector.recognizers()) {
                if (!recognizer.mayFind(text)) {
                    assertThat(recognizer.find(text)).as(recognizer.category() + " on " + text).isEmpty();
                    skipped++;
                }
            }
        }
        assertThat(skipped).isGreaterThan(10_000);
    }

    @Test
    void aPatternIsSkippedOnlyOnTextItCannotMatch() throws IOException {
        List<String> texts = new ArrayList<>(presidioDevTexts());
        texts.addAll(docsParagraphs());
        Random random = new Random(5);
        // pieces of every gated pattern, cues in any case, and the letters re2j folds into ASCII ones
        String[] pieces = {"sk-", "sk-proj-", "AKIA", "ASIA", "ghp_", "gho_", "github_pat_", "glpat-", "xoxb-", "AIza",
                "rk_live_", "sk_test_", "eyJ", ".eyJ", "-----BEGIN RSA PRIVATE KEY-----", "api_key", "API-KEY", "Secret",
                "TOKEN", "password", "PassPhrase", "passcode", "pwd", "access_key", "client-secret", " is ", "=", ":",
                " ", "\"", "'", "abcdefgh", "ABCDEFGH", "12345678", "9f8e7d6c", "+/", "_", "-", "\u212A", "\u017F",
                "RSSMRA85T10A562S", "RSSMRA", "85T10", "A562S", "::", "fe80::1", "2001:db8::", "0a1b2c3d4e5f", "Born", "DOB", "d.o.b", "BirthDay",
                "Geburtsdatum", "née", "NASCITA", "nacido", "Naissance", "12/03/1985", "passages", "tokens", "pass",
                "secret ", "API", "access", "key", "\n", "\t", "Note: ", "cafe:", ":beef", "x:"};
        for (int i = 0; i < 20_000; i++) {
            StringBuilder text = new StringBuilder();
            for (int k = 0, n = 2 + random.nextInt(12); k < n; k++) {
                text.append(pieces[random.nextInt(pieces.length)]);
            }
            texts.add(text.toString());
        }
        int skipped = 0;
        int matched = 0;
        for (String text : texts) {
            boolean[] gates = {SecretRecognizer.mayBeKnown(text), SecretRecognizer.mayHaveCue(text),
                    SecretRecognizer.mayBeTokenLike(text), PiiRecognizer.hasRun(text, 16, ""),
                    IpAddressRecognizer.mayHaveIpv6(text),
                    DateOfBirthRecognizer.mayHaveCue(text)};
            com.google.re2j.Pattern[] patterns = {SecretRecognizer.KNOWN, SecretRecognizer.AFTER_CUE,
                    SecretRecognizer.TOKEN_LIKE, EuropeanIdRecognizer.FISCAL_CODE, IpAddressRecognizer.V6,
                    DateOfBirthRecognizer.CUE};
            for (int k = 0; k < gates.length; k++) {
                boolean found = patterns[k].matcher(text).find();
                matched += found ? 1 : 0;
                if (!gates[k]) {
                    assertThat(found).as(patterns[k] + " on " + text).isFalse();
                    skipped++;
                }
            }
        }
        assertThat(skipped).isGreaterThan(20_000);
        assertThat(matched).as("the pieces make every pattern match often").isGreaterThan(20_000);
    }

    @Test
    void countingDigitsChangesNoResult() throws IOException {
        List<String> texts = new ArrayList<>(presidioDevTexts());
        texts.addAll(docsParagraphs());
        Random random = new Random(7);
        // every numeric shape whole and cut short, cues, separators and citations, so texts land on both sides of
        // every bound (2, 4, 7, 8, 9, 10, 13 digits)
        String[] pieces = {"+44 20 7946 0958", "(212) 555-0147", "212-555-0147 ext 12", "07700 900 123", "call me at ",
                "phone: ", " office", "Fax", "4111 1111 1111 1111", "4111-1111-1111", "123-45-6789", "219 09 9999",
                "SSN ", "GB82 WEST 1234 5698 7654 32", "DE89370400440532013000", "192.168.1.20", "10.0.0",
                "12345678Z", "X1234567L", "BSN 111222333", "1112.22.333", "burgerservicenummer ", "born 12/03/1985",
                "[1]", "[2]", " and ", ", ", "1", "12", "123", "1234", "5", "-", ".", " ", "(", ")", "+", "abc", "AB",
                "GB", "de", "\u212A", "/", "\n", ":", "x", "ext. "};
        for (int i = 0; i < 10_000; i++) {
            StringBuilder text = new StringBuilder();
            for (int k = 0, n = 2 + random.nextInt(10); k < n; k++) {
                text.append(pieces[random.nextInt(pieces.length)]);
            }
            texts.add(text.toString());
        }
        PiiDetector counting = new PiiDetector();
        PiiDetector previous = PiiDetector.withoutDigitCounts();
        int skipped = 0;
        int belowByNumberNotByCount = 0;
        int found = 0;
        for (String text : texts) {
            int digits = PiiRecognizer.mostDigitsInOneNumber(text);
            List<PiiSpan> spans = counting.find(text);
            assertThat(spans).as(text).isEqualTo(previous.find(text)).isEqualTo(counting.findWithoutPrefilter(text));
            found += spans.isEmpty() ? 0 : 1;
            for (PiiRecognizer recognizer : counting.recognizers()) {
                List<PiiSpan> all = recognizer.find(text);
                assertThat(recognizer.find(text, digits)).as(recognizer.category() + " on " + text).isEqualTo(all);
                if (digits < recognizer.minimumDigits()) {
                    assertThat(all).as(recognizer.category() + " on " + text).isEmpty();
                    skipped++;
                    belowByNumberNotByCount += totalDigits(text) >= recognizer.minimumDigits() ? 1 : 0;
                }
            }
        }
        assertThat(skipped).as("texts below a recognizer's bound").isGreaterThan(3_000);
        assertThat(belowByNumberNotByCount).as("texts with enough digits in all, too few in one number").isGreaterThan(300);
        assertThat(found).as("texts with PII").isGreaterThan(3_000);
    }

    @Test
    void theDetectorStillFindsWhatNeedsDigitsOrAnAt() {
        assertThat(new PiiDetector().find("Mail jane.doe@example.com or call +44 20 7946 0958, card 4111 1111 1111 1111"))
                .extracting(PiiSpan::category)
                .containsExactly(PiiCategory.EMAIL_ADDRESS, PiiCategory.PHONE_NUMBER, PiiCategory.CREDIT_CARD);
    }

    private static int totalDigits(String text) {
        return (int) text.chars().filter(c -> c >= '0' && c <= '9').count();
    }

    private static List<String> presidioDevTexts() throws IOException {
        for (String candidate : List.of("../shared/datasets/pii/presidio_synth_dev_500.json",
                "../../shared/datasets/pii/presidio_synth_dev_500.json")) {
            Path path = Path.of(candidate);
            if (Files.exists(path)) {
                List<String> texts = new ArrayList<>();
                for (JsonNode row : JsonMapper.builder().build().readTree(Files.readString(path))) {
                    texts.add(row.get("full_text").asString());
                }
                return texts;
            }
        }
        return List.of();
    }

    private static List<String> docsParagraphs() throws IOException {
        Path docs = Files.isDirectory(Path.of("../docs")) ? Path.of("../docs") : Path.of("docs");
        List<String> paragraphs = new ArrayList<>();
        try (Stream<Path> files = Files.walk(docs)) {
            for (Path file : files.filter(path -> path.toString().endsWith(".md")).sorted().toList()) {
                for (String paragraph : Files.readString(file).split("\\n\\s*\\n")) {
                    paragraphs.add(paragraph.strip());
                }
            }
        }
        return paragraphs;
    }
}
