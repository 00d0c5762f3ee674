package dev.genaiplatform.simulator.serving;

import dev.genaiplatform.simulator.tokens.TokenPiece;
import reactor.core.publisher.Flux;

/**
 * Decides when each token of a completion comes out. The answer is known before serving starts (the
 * composer decides it); the engine only reveals it at the speed a model server would. This is the seam
 * where a continuous-batching engine (shared decode steps, a KV-cache budget, a waiting queue) replaces
 * {@link TokenPacer} without the HTTP layer noticing.
 */
public interface ServingEngine {

    /** The generation's output pieces, each emitted when the model would have produced it. Never blocks. */
    Flux<TokenPiece> generate(Generation generation);
}
