package dev.genaiplatform.simulator.serving;

import dev.genaiplatform.simulator.tokens.TokenPiece;
import reactor.core.publisher.Flux;

/**
 * Decides when each token of a completion comes out. The answer is known before serving starts (the
 * composer decides it); the engine only reveals it at the speed a model server would, here
 * {@link ContinuousBatchingEngine}. Cancelling the returned flux (a client that went away) must free
 * whatever the generation held.
 */
public interface ServingEngine {

    /** The generation's output pieces, each emitted when the model would have produced it. Never blocks. */
    Flux<TokenPiece> generate(Generation generation);
}
