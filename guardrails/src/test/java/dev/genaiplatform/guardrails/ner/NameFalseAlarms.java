package dev.genaiplatform.guardrails.ner;

import dev.genaiplatform.guardrails.moderation.ModerationEvaluation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Names found in benign text that names no one, with the previous wave's model and rules and this wave's, in one run: the
 * shared "act as" prompts ({@code benign_roleplay_dev.csv}, when present) and the project's own held-out benign
 * requests. Every span printed is a false alarm unless the text really names a person (read them: a few do).
 * A {@code main}, run by hand (README).
 */
public final class NameFalseAlarms {

    public static void main(String[] args) throws IOException {
        List<String> texts = new ArrayList<>();
        Path roleplay = Path.of("../shared/datasets/prompt-injection/benign_roleplay_dev.csv");
        if (Files.exists(roleplay)) {
            texts.addAll(ModerationEvaluation.roleplayPrompts(roleplay));
        }
        int fromRoleplay = texts.size();
        Files.readAllLines(Path.of("guardrails/src/test/resources/moderation/held-out.csv")).stream().skip(1)
                .map(line -> line.split("\t", 3)).filter(parts -> parts[0].equals("BENIGN"))
                .map(parts -> parts[2]).distinct().forEach(texts::add);
        long words = texts.stream().mapToLong(text -> text.split("\\s+").length).sum();
        System.out.printf(Locale.ROOT, "%d texts (%d role-play, %d held-out benign requests), %d words%n",
                texts.size(), fromRoleplay, texts.size() - fromRoleplay, words);
        NameFinderDetector previous = NameModels.previous();
        NameFinderDetector current = NameModels.current();
        if (previous == null) {
            previous = current;
        }
        int[] counts = new int[2];
        for (String text : texts) {
            List<String> before = persons(previous, text);
            List<String> after = persons(current, text);
            counts[0] += before.size();
            counts[1] += after.size();
            after.stream().filter(name -> !before.contains(name)).forEach(name -> System.out.println("NEW  " + name));
            before.stream().filter(name -> !after.contains(name)).forEach(name -> System.out.println("GONE " + name));
        }
        System.out.printf(Locale.ROOT, "PERSON spans: previous wave %d, this wave %d (per 1,000 words: %.2f, %.2f)%n",
                counts[0], counts[1], counts[0] * 1000.0 / words, counts[1] * 1000.0 / words);
    }

    private static List<String> persons(NameFinderDetector detector, String text) {
        return detector.find(text).stream().filter(span -> span.category().equals("PERSON"))
                .map(span -> text.substring(span.start(), span.end())).toList();
    }
}
