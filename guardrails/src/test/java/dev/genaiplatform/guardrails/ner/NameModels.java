package dev.genaiplatform.guardrails.ner;

import opennlp.tools.namefind.TokenNameFinderModel;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The two name finders the hand-run measurements compare in one run: the previous wave's (its model file, taken
 * from git into {@code guardrails/target/pii-names-previous.bin}, with the second wave's rules) and the shipped
 * one (this wave's model and span checks). The previous model is not committed twice: the README gives the
 * {@code git show} line that restores it.
 */
public final class NameModels {

    public static final Path PREVIOUS_MODEL = Path.of(System.getProperty("ner.previous-model",
            (Files.isDirectory(Path.of("guardrails")) ? "guardrails/" : "") + "target/pii-names-previous.bin"));

    /** The previous wave's detector, or null when its model file is not there. */
    public static NameFinderDetector previous() {
        if (!Files.exists(PREVIOUS_MODEL)) {
            System.out.println("(no " + PREVIOUS_MODEL + ": the previous model is not measured; see the README)");
            return null;
        }
        try (InputStream in = Files.newInputStream(PREVIOUS_MODEL)) {
            return new NameFinderDetector(new TokenNameFinderModel(in), true, false);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The shipped detector. */
    public static NameFinderDetector current() {
        return new NameFinderDetector();
    }

    private NameModels() {
    }
}
