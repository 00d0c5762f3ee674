package dev.genaiplatform.gateway.server;

import java.time.Duration;

import io.netty.channel.DefaultEventLoopGroup;
import io.netty.channel.EventLoop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RequestEventLoopTests {

    private final DefaultEventLoopGroup loops = new DefaultEventLoopGroup(1);

    private final EventLoop loop = loops.next();

    @AfterEach
    void closeLoops() {
        loops.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.SECONDS);
    }

    @Test
    void deliversAValueFromAnotherThreadOnTheRequestsLoop() throws Exception {
        Thread loopThread = loop.submit(Thread::currentThread).get();
        Mono<Thread> fromElsewhere = Mono.fromSupplier(Thread::currentThread).subscribeOn(Schedulers.boundedElastic());

        Thread[] threads = RequestEventLoop.resumeOn(loop, fromElsewhere)
            .map(arrivedOn -> new Thread[] { arrivedOn, Thread.currentThread() })
            .block(Duration.ofSeconds(10));

        assertThat(threads[0]).isNotSameAs(loopThread);
        assertThat(threads[1]).isSameAs(loopThread);
    }

    @Test
    void staysOnTheLoopWhenTheValueArrivesThere() {
        Mono<Thread> onTheLoop = Mono.fromSupplier(Thread::currentThread).subscribeOn(Schedulers.fromExecutor(loop));

        Thread[] threads = RequestEventLoop.resumeOn(loop, onTheLoop)
            .map(arrivedOn -> new Thread[] { arrivedOn, Thread.currentThread() })
            .block(Duration.ofSeconds(10));

        assertThat(threads[1]).isSameAs(threads[0]);
    }

    @Test
    void passesErrorsAndEmptinessOnUnchanged() {
        assertThatThrownBy(() -> RequestEventLoop.resumeOn(loop, Mono.error(new IllegalStateException("refused")))
            .block(Duration.ofSeconds(10))).hasMessage("refused");
        assertThat(RequestEventLoop.resumeOn(loop, Mono.empty()).blockOptional(Duration.ofSeconds(10))).isEmpty();
    }

    @Test
    void goesOnWhereItIsWhenTheLoopHasClosed() throws Exception {
        loops.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.SECONDS).await();

        assertThat(RequestEventLoop.resumeOn(loop, Mono.just("answer")).block(Duration.ofSeconds(10))).isEqualTo("answer");
    }

    @Test
    void leavesAnExchangeWithoutANettyConnectionAlone() {
        MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.post("/v1/chat/completions"));
        Mono<String> waited = Mono.just("answer");

        assertThat(RequestEventLoop.of(exchange)).isNull();
        assertThat(RequestEventLoop.resume(exchange, waited)).isSameAs(waited);
    }
}
