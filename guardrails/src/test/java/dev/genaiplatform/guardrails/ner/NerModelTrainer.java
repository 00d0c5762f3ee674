package dev.genaiplatform.guardrails.ner;

import opennlp.tools.namefind.NameFinderME;
import opennlp.tools.namefind.NameSample;
import opennlp.tools.namefind.TokenNameFinderFactory;
import opennlp.tools.namefind.TokenNameFinderModel;
import opennlp.tools.util.ObjectStreamUtils;
import opennlp.tools.util.TrainingParameters;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Rebuilds the name finder model shipped in {@code src/main/resources/ner/pii-names.bin} from generated
 * sentences (see {@link NerTrainingSentences}). A {@code main}, run by hand (command in the README):
 * deterministic for the seed. Features: {@code ner/features.xml} (embedded in the model file). Cutoff 3 keeps the
 * file small (features seen fewer than three times are dropped).
 */
public final class NerModelTrainer {

    static final long SEED = 20261206L;
    static final int SENTENCES = 45_000;
    static final int ITERATIONS = 120;
    static final String FEATURES = "/ner/features.xml";

    public static void main(String[] args) throws Exception {
        Path out = args.length > 0 ? Path.of(args[0]) : moduleDir().resolve("src/main/resources/ner/pii-names.bin");
        long started = System.nanoTime();
        List<NameSample> samples = new NerTrainingSentences(SEED).generate(SENTENCES);
        TrainingParameters parameters = TrainingParameters.defaultParams();
        parameters.put(TrainingParameters.ITERATIONS_PARAM, ITERATIONS);
        parameters.put(TrainingParameters.CUTOFF_PARAM, 3);
        byte[] features;
        try (var in = NerModelTrainer.class.getResourceAsStream(FEATURES)) {
            features = in.readAllBytes();
        }
        TokenNameFinderModel model = NameFinderME.train("en", null,
                ObjectStreamUtils.createObjectStream(samples), parameters,
                TokenNameFinderFactory.create(null, features, Map.of(), new opennlp.tools.namefind.BioCodec()));
        Files.createDirectories(out.toAbsolutePath().getParent());
        try (OutputStream stream = Files.newOutputStream(out)) {
            model.serialize(stream);
        }
        System.out.printf("trained on %d sentences in %d s -> %s (%d KB)%n", samples.size(),
                (System.nanoTime() - started) / 1_000_000_000L, out, Files.size(out) / 1024);
    }

    /** The guardrails module directory, whether run from the repository root (exec:java) or from the module. */
    static Path moduleDir() {
        return java.nio.file.Files.isDirectory(Path.of("guardrails/src")) ? Path.of("guardrails") : Path.of(".");
    }

    private NerModelTrainer() {
    }
}
