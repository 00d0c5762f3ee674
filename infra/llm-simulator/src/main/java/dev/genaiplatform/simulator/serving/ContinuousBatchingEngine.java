package dev.genaiplatform.simulator.serving;

import dev.genaiplatform.simulator.model.ModelProfile;
import dev.genaiplatform.simulator.tokens.TokenPiece;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Flux;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Serves every model the way a continuous-batching inference server (vLLM, TGI, TensorRT-LLM) would:
 * one {@link ModelScheduler} per model, each with its own KV cache, batch and queue, so a busy model
 * slows down its own requests and no other model's. See the README's "The serving model".
 */
public final class ContinuousBatchingEngine implements ServingEngine, AutoCloseable {

    private final Function<ModelProfile, StepClock> clocks;
    private final MeterRegistry registry;
    private final Map<String, Model> models = new ConcurrentHashMap<>();

    private record Model(ModelScheduler scheduler, StepClock clock) {
    }

    /** Real time: one daemon thread per model, named {@code serving-<model id>}. */
    public ContinuousBatchingEngine(List<ModelProfile> profiles, MeterRegistry registry) {
        this(profiles, registry, profile -> StepClock.systemThread("serving-" + profile.id()));
    }

    public ContinuousBatchingEngine(List<ModelProfile> profiles, MeterRegistry registry,
                                    Function<ModelProfile, StepClock> clocks) {
        this.clocks = clocks;
        this.registry = registry;
        // start every configured model now, so its gauges read 0 before the first request
        profiles.forEach(this::modelFor);
    }

    @Override
    public Flux<TokenPiece> generate(Generation generation) {
        return modelFor(generation.model()).scheduler().serve(generation);
    }

    /** What a model's scheduler holds right now (tests, diagnostics). */
    ModelScheduler.Load load(String modelId) {
        return models.get(modelId).scheduler().load();
    }

    private Model modelFor(ModelProfile profile) {
        return models.computeIfAbsent(profile.id(), id -> {
            StepClock clock = clocks.apply(profile);
            return new Model(new ModelScheduler(profile, clock, new ServingMetrics(registry, id)), clock);
        });
    }

    @Override
    public void close() {
        models.values().forEach(model -> model.clock().close());
    }
}
