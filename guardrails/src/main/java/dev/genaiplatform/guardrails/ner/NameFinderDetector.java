package dev.genaiplatform.guardrails.ner;

import dev.genaiplatform.guardrails.detection.CheckedText;
import dev.genaiplatform.guardrails.detection.Detection;
import dev.genaiplatform.guardrails.detection.InputDetector;
import opennlp.tools.namefind.NameFinderME;
import opennlp.tools.namefind.TokenNameFinderModel;
import opennlp.tools.util.Span;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Names of people ({@code PERSON}), places ({@code LOCATION}: cities, regions, countries) and postal addresses
 * ({@code STREET_ADDRESS}) found by an OpenNLP name finder (maximum entropy) trained in this repository on
 * generated sentences: no NER model for Java ships in a package registry. The model, its generator and the
 * command that rebuilds it are described in the module README.
 *
 * <p>Text is cut into chunks of at most {@value #MAX_TOKENS} tokens (the finder's cost grows with the sequence;
 * a chunk boundary can split a name, so chunks overlap by a few tokens).
 *
 * <p>What it does NOT catch, measured and written down in the README: names that look like common words,
 * single surnames without context, organisations (not trained), names in scripts the generator did not cover,
 * addresses in formats the templates do not show. It also finds some false names in capitalised phrases.
 */
public final class NameFinderDetector implements InputDetector {

    public static final String NAME = "ner";
    public static final String MODEL_RESOURCE = "/ner/pii-names.bin";
    static final int MAX_TOKENS = 200;
    private static final int OVERLAP = 20;

    /**
     * A finder is not thread-safe and costly to build (it parses its feature descriptor), so finders are pooled;
     * not thread-locals, because request threads are virtual and short-lived.
     */
    private final Queue<NameFinderME> finders = new ConcurrentLinkedQueue<>();
    private final TokenNameFinderModel model;

    public NameFinderDetector() {
        this(load());
    }

    public NameFinderDetector(TokenNameFinderModel model) {
        this.model = model;
    }

    private static TokenNameFinderModel load() {
        try (InputStream in = NameFinderDetector.class.getResourceAsStream(MODEL_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the name finder model " + MODEL_RESOURCE + " is not on the classpath");
            }
            return new TokenNameFinderModel(in);
        }
        catch (IOException e) {
            throw new UncheckedIOException("could not read the name finder model", e);
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<Detection> detect(List<CheckedText> texts) {
        List<Detection> detections = new ArrayList<>();
        for (int index = 0; index < texts.size(); index++) {
            for (EntitySpan span : find(texts.get(index).text())) {
                detections.add(new Detection.Span(NAME, span.category(), index, span.start(), span.end()));
            }
        }
        return detections;
    }

    /** An entity with its offsets in the text. */
    public record EntitySpan(String category, int start, int end) {
    }

    /** Every entity in {@code text}, in order, non-overlapping. */
    public List<EntitySpan> find(String text) {
        List<TextTokens.Token> tokens = TextTokens.of(text);
        NameFinderME finder = finders.poll();
        if (finder == null) {
            finder = new NameFinderME(model);
        }
        try {
            return find(tokens, finder);
        }
        finally {
            finders.offer(finder);
        }
    }

    private static List<EntitySpan> find(List<TextTokens.Token> tokens, NameFinderME finder) {
        List<EntitySpan> spans = new ArrayList<>();
        int coveredUpTo = 0;
        for (int from = 0; from < tokens.size(); from += MAX_TOKENS - OVERLAP) {
            int to = Math.min(tokens.size(), from + MAX_TOKENS);
            String[] words = new String[to - from];
            for (int i = from; i < to; i++) {
                words[i - from] = tokens.get(i).text();
            }
            finder.clearAdaptiveData();
            for (Span found : finder.find(words)) {
                int start = tokens.get(from + found.getStart()).start();
                int end = tokens.get(from + found.getEnd() - 1).end();
                if (start >= coveredUpTo) {
                    spans.add(new EntitySpan(found.getType().toUpperCase(Locale.ROOT), start, end));
                    coveredUpTo = end;
                }
            }
            if (to == tokens.size()) {
                break;
            }
        }
        return spans;
    }
}
