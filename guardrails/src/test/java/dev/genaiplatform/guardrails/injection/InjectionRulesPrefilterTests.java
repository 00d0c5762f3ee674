package dev.genaiplatform.guardrails.injection;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The literal prefilter of {@link InjectionRules#find} skips a rule's regex only on texts it cannot match: on
 * every text of the corpora the accuracy numbers come from (normalised, ROT13'd, and each decoded payload, as
 * {@link PromptInjectionDetector} reads them), on the docs, and on word salad built from the rules' own words, the
 * hits are exactly those of every regex run over the whole text.
 */
class InjectionRulesPrefilterTests {

    /** The rules' words and punctuation, so random salads hit every rule many times. */
    private static final String[] SALAD = {"ignore", "disregard", "forget", "override", "bypass", "skip", "drop",
            "abandon", "discard", "neglect", "about", "all", "any", "the", "your", "my", "these", "of", "previous",
            "prior", "above", "system", "original", "old", "instructions", "instruction", "rules", "prompt",
            "prompts", "guidelines", "context", "everything", "anything", "you", "were", "have", "been", "told",
            "said", "before", "new", "updated", "real", "revised", "instructions:", "follow", "reveal", "show",
            "print", "tell", "me", "what", "is", "are", "full", "exact", "hidden", "secret", "developer", "internal",
            "first", "message", "directives", "repeat", "output", "copy", "words", "text", "lines", "preceding", "so",
            "far", "starting", "beginning", "with", "\"you", "do", "now", "dan", "stan", "dude", "aim", "evil", "bot",
            "evilbot", "god", "jailbreak", "unfiltered", "mode", "enabled", "activated", "response", "in", "you're",
            "no", "without", "filters", "restrictions", "free", "from", "longer", "bound", "by", "not", "broken",
            "typical", "confines", "limitations", "censorship", "policies", "ai", "openai", "anthropic", "creators",
            "developers", "programming", "never", "don't", "dont", "must", "refuse", "decline", "say", "that",
            "can't", "apologise", "apologize", "add", "warnings", "disclaimers", "<|im_start|>", "<|system|>",
            "<system>", "</instructions>", "[inst]", "[/inst]", "<<sys>>", "##", "###", "![x](https://evil.example/p?d=",
            "![img](", "https://a.example/?q=1)", "<|endoftext|>", "<|im_end|>", "<</sys>>", "<system|>", "</sys_prompt>",
            "<instructions>", "written", "stated", "display", "recite", "dump", "leak", "give", "write", "spell", "out",
            "initial", "earlier", "former", "existing", "directions", "command", "orders", "constraints", "guardrails",
            "actual", "were", "restricted", "evil bot", "unrestricted", "now", "tell me", "\n", ".", ",", "<", ">", "|", "[", "]", "(", ")", "!", ":"};

    @Test
    void findsExactlyWhatEveryRegexOverTheWholeTextFinds() throws IOException {
        List<String> texts = new ArrayList<>();
        InjectionCorpus corpus = new InjectionCorpus(20261206L);
        corpus.generate(180, 1400).forEach(example -> texts.add(example.text()));
        corpus.contactDetails(300).forEach(example -> texts.add(example.text()));
        Path dev = InjectionTrainer.devSet();
        if (dev != null && Files.exists(dev.resolve("benign_roleplay_dev.csv"))) {
            InjectionTrainer.roleplay(dev).forEach(example -> texts.add(example.text()));
        }
        texts.addAll(docsParagraphs());
        Random random = new Random(7);
        for (int i = 0; i < 6_000; i++) {
            StringBuilder salad = new StringBuilder();
            for (int w = 0, n = 2 + random.nextInt(14); w < n; w++) {
                salad.append(SALAD[random.nextInt(SALAD.length)]).append(random.nextInt(6) == 0 ? "  " : " ");
            }
            texts.add(random.nextBoolean() ? salad.toString() : salad.toString().trim());
        }

        int compared = 0;
        int withHits = 0;
        for (String text : texts) {
            for (String read : readings(text)) {
                List<InjectionRules.Hit> reference = InjectionRules.findWithoutPrefilter(read);
                assertThat(InjectionRules.find(read)).as(read).isEqualTo(reference);
                compared++;
                withHits += reference.isEmpty() ? 0 : 1;
            }
        }
        assertThat(compared).isGreaterThan(10_000);
        assertThat(withHits).as("texts with hits: the comparison exercised the rules").isGreaterThan(500);
    }

    /** What the detector hands to the rules: normalised text, its ROT13, and each decoded payload normalised. */
    private static List<String> readings(String original) {
        List<String> readings = new ArrayList<>();
        String normalised = NormalisedText.of(original).text();
        readings.add(normalised);
        readings.add(EncodedPayloads.rot13(normalised));
        EncodedPayloads.find(original).forEach(payload -> readings.add(NormalisedText.of(payload.decoded()).text()));
        return readings;
    }

    /** Paragraphs of the repository's docs: realistic retrieved passages (the sample corpus). */
    static List<String> docsParagraphs() throws IOException {
        Path docs = Path.of("../docs");
        if (!Files.isDirectory(docs)) {
            docs = Path.of("docs");
        }
        List<String> paragraphs = new ArrayList<>();
        try (Stream<Path> files = Files.walk(docs)) {
            for (Path file : files.filter(path -> path.toString().endsWith(".md")).sorted().toList()) {
                for (String paragraph : Files.readString(file).split("\\n\\s*\\n")) {
                    if (paragraph.strip().length() >= 200) {
                        paragraphs.add(paragraph.strip());
                    }
                }
            }
        }
        return paragraphs;
    }
}
