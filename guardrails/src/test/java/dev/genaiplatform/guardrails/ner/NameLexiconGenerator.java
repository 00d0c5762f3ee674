package dev.genaiplatform.guardrails.ner;

import net.datafaker.Faker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;
import java.util.TreeSet;

/**
 * Writes the first- and last-name lists the name finder's lexicon rule uses
 * ({@code src/main/resources/ner/first-names.txt}, {@code last-names.txt}), drawn from Datafaker's name data for
 * the same locales as the training sentences. Deterministic for the seed. A {@code main} run by hand.
 */
public final class NameLexiconGenerator {

    private static final int DRAWS_PER_LOCALE = 4000;

    public static void main(String[] args) throws IOException {
        TreeSet<String> first = new TreeSet<>();
        TreeSet<String> last = new TreeSet<>();
        Random seeds = new Random(NerModelTrainer.SEED);
        for (Locale locale : NerTrainingSentences.LOCALES) {
            Faker faker = new Faker(locale, new Random(seeds.nextLong()));
            for (int i = 0; i < DRAWS_PER_LOCALE; i++) {
                add(first, () -> faker.name().firstName());
                add(last, () -> faker.name().lastName());
            }
        }
        first.removeAll(NameFinderDetector.commonWords());
        last.removeAll(NameFinderDetector.commonWords());
        Path dir = NerModelTrainer.moduleDir().resolve("src/main/resources/ner");
        Files.write(dir.resolve("first-names.txt"), first);
        Files.write(dir.resolve("last-names.txt"), last);
        System.out.printf("%d first names, %d last names -> %s%n", first.size(), last.size(), dir);
    }

    private static void add(TreeSet<String> names, java.util.function.Supplier<String> draw) {
        try {
            String name = draw.get().toLowerCase(Locale.ROOT);
            if (name.length() >= 3 && name.codePoints().allMatch(c -> Character.isLetter(c) || c == '-' || c == '\'')) {
                names.add(name);
            }
        }
        catch (RuntimeException missingInLocale) {
            // this locale has no such list
        }
    }

    private NameLexiconGenerator() {
    }
}
