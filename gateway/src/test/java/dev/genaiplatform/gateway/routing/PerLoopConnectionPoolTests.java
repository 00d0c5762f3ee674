package dev.genaiplatform.gateway.routing;

import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.netty.channel.DefaultEventLoopGroup;
import io.netty.channel.EventLoop;
import io.netty.resolver.AddressResolverGroup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.Connection;
import reactor.netty.ConnectionObserver;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.transport.TransportConfig;

import static org.assertj.core.api.Assertions.assertThat;

class PerLoopConnectionPoolTests {

    private final DefaultEventLoopGroup loops = new DefaultEventLoopGroup(2);

    private final List<RecordingPool> created = new CopyOnWriteArrayList<>();

    private final PerLoopConnectionPool pool = new PerLoopConnectionPool(() -> {
        RecordingPool made = new RecordingPool("pool-" + created.size());
        created.add(made);
        return made;
    });

    @AfterEach
    void closeLoops() {
        loops.shutdownGracefully(0, 0, TimeUnit.SECONDS);
    }

    @Test
    void aRequestOnALoopIsServedByThatLoopsOwnPool() {
        EventLoop first = loops.next();
        EventLoop second = loops.next();

        String onFirst = acquireOn(first);
        String onSecond = acquireOn(second);

        assertThat(onFirst).isNotEqualTo(onSecond).isNotEqualTo("pool-0");
        assertThat(acquireOn(first)).isEqualTo(onFirst);
        assertThat(acquireOn(second)).isEqualTo(onSecond);
        assertThat(created).hasSize(3); // the shared one, then one per loop that asked
    }

    @Test
    void aRequestOffNettysLoopsIsServedByTheSharedPool() {
        assertThat(acquire().subscribeOn(Schedulers.boundedElastic()).block(Duration.ofSeconds(10))).isEqualTo("pool-0");
        assertThat(acquire().block(Duration.ofSeconds(10))).isEqualTo("pool-0");
        assertThat(created).hasSize(1);
    }

    @Test
    void disposingDisposesEveryPool() {
        acquireOn(loops.next());

        pool.disposeLater().block(Duration.ofSeconds(10));

        assertThat(created).hasSize(2).allMatch(RecordingPool::isDisposed);
        assertThat(pool.isDisposed()).isTrue();
    }

    private String acquireOn(EventLoop loop) {
        return acquire().subscribeOn(Schedulers.fromExecutor(loop)).block(Duration.ofSeconds(10));
    }

    /** The name of the pool that was asked. */
    private Mono<String> acquire() {
        return pool.acquire(null, ConnectionObserver.emptyListener(), () -> null, null)
            .map(connection -> ((NamedConnection) connection).pool());
    }

    private record NamedConnection(String pool) implements Connection {

        @Override
        public io.netty.channel.Channel channel() {
            throw new UnsupportedOperationException();
        }
    }

    private static final class RecordingPool implements ConnectionProvider {

        private final String name;

        private volatile boolean disposed;

        RecordingPool(String name) {
            this.name = name;
        }

        @Override
        public Mono<? extends Connection> acquire(TransportConfig config, ConnectionObserver observer,
                Supplier<? extends SocketAddress> remoteAddress, AddressResolverGroup<?> resolverGroup) {
            return Mono.just(new NamedConnection(name));
        }

        @Override
        public Mono<Void> disposeLater() {
            return Mono.fromRunnable(() -> disposed = true);
        }

        @Override
        public boolean isDisposed() {
            return disposed;
        }
    }
}
