package dev.genaiplatform.simulator;

import dev.genaiplatform.simulator.serving.Generation;
import dev.genaiplatform.simulator.serving.ServingEngine;
import dev.genaiplatform.simulator.tokens.TokenPiece;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

import java.util.List;

/**
 * The real serving engine, plus a gate a test can close: the next generation then emits its first piece and
 * holds the rest until the test opens the gate. A client that sees the first piece while the rest is
 * held proves the server does not buffer the stream.
 */
public final class GatedServingEngine implements ServingEngine {

    private final ServingEngine engine;
    private volatile Sinks.Empty<Void> gate;

    GatedServingEngine(ServingEngine engine) {
        this.engine = engine;
    }

    /** Holds back all but the first piece of the next generation until the returned sink completes. */
    public Sinks.Empty<Void> closeForNextGeneration() {
        Sinks.Empty<Void> next = Sinks.empty();
        gate = next;
        return next;
    }

    @Override
    public Flux<TokenPiece> generate(Generation generation) {
        Sinks.Empty<Void> current = gate;
        gate = null;
        List<TokenPiece> output = generation.output();
        if (current == null || output.size() < 2) {
            return engine.generate(generation);
        }
        return Flux.just(output.getFirst())
                .concatWith(current.asMono().thenMany(Flux.fromIterable(output.subList(1, output.size()))));
    }

    @TestConfiguration(proxyBeanMethods = false)
    public static class Configuration {

        @Bean
        @Primary
        GatedServingEngine gatedServingEngine(@Qualifier("servingEngine") ServingEngine engine) {
            return new GatedServingEngine(engine);
        }
    }
}
