package dev.genaiplatform.guardrails.moderation;

import dev.genaiplatform.guardrails.injection.NormalisedText;
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
 * The literal prefilter of {@link ModerationRules#find} skips a regex only where it cannot match: on the training
 * and held-out rows the moderation numbers come from, on the docs, and on word salads of the rules' own words, the
 * hits are exactly those of every regex over the whole text.
 */
class ModerationRulesPrefilterTests {

    private static final String[] SALAD = {"how", "do", "i", "can", "to", "would", "should", "ways", "way", "best",
            "help", "me", "want", "i'm", "going", "will", "i'll", "kill", "murder", "poison", "stab", "shoot",
            "torture", "beat", "up", "kidnap", "my", "a", "the", "neighbour", "neighbor", "boss", "kids", "someone",
            "her", "them", "plan", "planning", "carry", "out", "commit", "an", "mass", "school", "shooting",
            "massacre", "terrorist", "terror", "attack", "bombing", "of", "hide", "body", "corpse", "get", "away",
            "with", "killing", "hurt", "harm", "cut", "myself", "end", "ending", "own", "life", "wish", "am", "die",
            "committing", "suicide", "painless", "easiest", "methods", "it", "many", "pills", "tablets", "overdose",
            "all", "jews", "muslims", "black", "people", "immigrants", "women", "disabled", "must", "deserve",
            "be", "killed", "deported", "burn", "exterminate", "wipe", "gas", "eradicate", "rid", "are", "subhuman",
            "vermin", "a disease", "sex", "sexual", "nude", "explicit", "seducing", "child", "children", "minors",
            "12-year-old", "9 years old", "little", "girls", "report", "prevention", "law", "steps", "instructions",
            "for", "recipe", "teach", "make", "build", "synthesize", "cook", "homemade", "pipe", "bomb", "pipebomb",
            "explosives", "meth", "crystal", "fentanyl", "sarin", "molotov", "cocktail", "ghost", "gun",
            "launder money", "hotwire a car", "steal a car", "break into", "someone's", "house", "buy stolen credit cards",
            "make counterfeit", "money", "forge a passport", "write", "ransomware", "keylogger", ".", ",", "!", "\n"};

    @Test
    void findsExactlyWhatEveryRegexOverTheWholeTextFinds() throws IOException {
        List<String> texts = new ArrayList<>();
        new ModerationCorpus(20261206L).training(8).forEach(example -> texts.add(example.text()));
        new ModerationCorpus(20261207L).heldOut(8).forEach(example -> texts.add(example.text()));
        texts.addAll(docsParagraphs());
        Random random = new Random(11);
        for (int i = 0; i < 6_000; i++) {
            StringBuilder salad = new StringBuilder();
            for (int w = 0, n = 3 + random.nextInt(12); w < n; w++) {
                salad.append(SALAD[random.nextInt(SALAD.length)]).append(' ');
            }
            texts.add(salad.toString().trim());
        }

        int withHits = 0;
        for (String text : texts) {
            String normalised = NormalisedText.of(text).text();
            List<ModerationRules.Hit> reference = ModerationRules.findWithoutPrefilter(normalised);
            assertThat(ModerationRules.find(normalised)).as(normalised).isEqualTo(reference);
            withHits += reference.isEmpty() ? 0 : 1;
        }
        assertThat(texts).hasSizeGreaterThan(6_500);
        assertThat(withHits).as("texts with hits: the comparison exercised the rules").isGreaterThan(300);
    }

    private static List<String> docsParagraphs() throws IOException {
        Path docs = Files.isDirectory(Path.of("../docs")) ? Path.of("../docs") : Path.of("docs");
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
