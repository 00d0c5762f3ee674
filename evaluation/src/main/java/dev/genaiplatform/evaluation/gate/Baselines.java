package dev.genaiplatform.evaluation.gate;

import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Optional;

/**
 * The committed baselines ({@code evaluation/baselines/<set>.<model>.json}), packaged on the classpath under
 * {@code baselines/} so the service can gate a run the same way the command does.
 */
public final class Baselines {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private Baselines() {
    }

    public static Optional<Baseline> committed(String set, String model) {
        if (!set.matches("[a-zA-Z0-9._-]+") || !model.matches("[a-zA-Z0-9._-]+")) {
            return Optional.empty();
        }
        try (InputStream in = Baselines.class.getClassLoader()
                .getResourceAsStream("baselines/" + set + "." + model + ".json")) {
            return in == null ? Optional.empty() : Optional.of(JSON.readValue(in, Baseline.class));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
