package dev.genaiplatform.gateway.routing;

import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import io.netty.resolver.AddressResolverGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.internal.ThreadExecutorMap;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.ConnectionObserver;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.transport.TransportConfig;

/**
 * The proxy's connection pool, one per event loop that asks: a request on a loop gets a connection that lives on
 * that loop, so the call, its answer and the write to the client need no hand-over to another thread (README,
 * Benchmark, "Wave 11"). One shared pool keeps connections for requests on any other thread.
 *
 * <p>Reactor Netty's own pool registers a new connection on the loop of the request that opens it, but hands an
 * idle connection to whichever request comes next, whatever its loop: after the first requests the pool holds
 * connections on arbitrary loops and nearly every call crossed to another thread and back.
 *
 * <p>The price: each loop's pool has the configured limits of its own (a fixed pool's {@code max-connections} holds
 * per loop, so up to loops + 1 times as many connections), and idle connections are kept per loop.
 */
public final class PerLoopConnectionPool implements ConnectionProvider {

    private final Supplier<ConnectionProvider> newPool;

    private final ConnectionProvider shared;

    private final Map<EventExecutor, ConnectionProvider> byLoop = new ConcurrentHashMap<>();

    public PerLoopConnectionPool(Supplier<ConnectionProvider> newPool) {
        this.newPool = newPool;
        this.shared = newPool.get();
    }

    /** The pool is chosen when the connection is asked for (subscription), on the thread that asks. */
    @Override
    public Mono<? extends Connection> acquire(TransportConfig config, ConnectionObserver observer,
            Supplier<? extends SocketAddress> remoteAddress, AddressResolverGroup<?> resolverGroup) {
        return Mono.defer(() -> poolOfThisThread().acquire(config, observer, remoteAddress, resolverGroup));
    }

    private ConnectionProvider poolOfThisThread() {
        EventExecutor loop = ThreadExecutorMap.currentExecutor(); // null off Netty's loops
        return loop == null ? shared : byLoop.computeIfAbsent(loop, any -> newPool.get());
    }

    private List<ConnectionProvider> all() {
        List<ConnectionProvider> pools = new ArrayList<>(byLoop.values());
        pools.add(shared);
        return pools;
    }

    @Override
    public void disposeWhen(SocketAddress address) {
        all().forEach(pool -> pool.disposeWhen(address));
    }

    @Override
    public Mono<Void> disposeLater() {
        return Mono.when(all().stream().map(ConnectionProvider::disposeLater).toList());
    }

    @Override
    public boolean isDisposed() {
        return shared.isDisposed();
    }

    @Override
    public int maxConnections() {
        return shared.maxConnections();
    }

    @Override
    public Map<SocketAddress, Integer> maxConnectionsPerHost() {
        return shared.maxConnectionsPerHost();
    }

    @Override
    public String name() {
        return shared.name();
    }
}
