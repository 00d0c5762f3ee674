package dev.genaiplatform.simulator.serving;

import dev.genaiplatform.simulator.tokens.TokenPiece;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Duration;

/**
 * The simplest serving model: every request has the model to itself. The first piece comes after the
 * profile's time to first token (prefill), each further piece one inter-token delay later (one decode
 * step). Delays are Reactor timers, so a waiting request holds no thread; a zero delay emits at once.
 *
 * <p>What it does not model: requests slowing each other down. A thousand concurrent requests stream
 * exactly as fast as one, which no GPU does.
 */
public final class TokenPacer implements ServingEngine {

    @Override
    public Flux<TokenPiece> generate(Generation generation) {
        Duration firstToken = generation.model().timeToFirstToken();
        Duration nextToken = generation.model().interTokenDelay();
        return Flux.fromIterable(generation.output())
                .index()
                .concatMap(indexed -> after(indexed.getT1() == 0 ? firstToken : nextToken, indexed.getT2()));
    }

    private static Mono<TokenPiece> after(Duration delay, TokenPiece piece) {
        return delay.isZero() ? Mono.just(piece) : Mono.delay(delay).thenReturn(piece);
    }
}
