package dev.genaiplatform.gateway.server;

import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.EventLoopGroupProvider;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.EventExecutorGroup;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ImmediateEventExecutor;
import io.netty.util.internal.ThreadExecutorMap;
import dev.genaiplatform.gateway.observability.SampledLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.ReactiveRedisClusterConnection;
import org.springframework.data.redis.connection.ReactiveRedisConnection;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.http.client.ReactorResourceFactory;

/**
 * One Redis connection per HTTP server event loop, registered on that loop, and each Redis call made from a loop given
 * that loop's connection: the reply arrives on the request's own thread, so a chat completion stays on one thread from
 * the door to its answer instead of passing through Lettuce's one connection thread and back (README, Benchmark,
 * "Wave 13").
 *
 * <p>A loop's connection serves only once it is connected. The connections are made after the server has started, on a
 * thread of their own, and one that cannot be made (Redis down or slow to answer the handshake) is tried again every
 * {@link #RETRY_INTERVAL} until it is: neither the start nor a request ever waits for one. Until then, off the loops,
 * and for a Redis that is not a plain standalone one (Sentinel, Cluster, TLS), the shared connection serves, with
 * everything the gateway does today when Redis is slow or down (fail-open, {@code REJECT_COMMANDS} while disconnected).
 * A loop's connection that has served and then loses Redis behaves as the shared one does: Lettuce reconnects it, and
 * commands sent meanwhile are rejected at once, which the rate limiter and the budget turn into their fail-open answer.
 */
public final class PerLoopRedisConnections implements ReactiveRedisConnectionFactory,
        ApplicationListener<WebServerInitializedEvent>, DisposableBean {

    static final Duration RETRY_INTERVAL = Duration.ofSeconds(1);

    private static final Logger log = LoggerFactory.getLogger(PerLoopRedisConnections.class);

    private final SampledLog notYetLog = new SampledLog(log, Duration.ofSeconds(30));

    private final LettuceConnectionFactory shared;

    private final ReactorResourceFactory loops;

    private final ClientResources resources;

    /** Written once, when the server has started; the connections in it serve once {@link LoopConnection#ready}. */
    private volatile Map<EventExecutor, LoopConnection> byLoop = Map.of();

    private volatile boolean closed;

    private Thread connector;

    public PerLoopRedisConnections(LettuceConnectionFactory shared, ReactorResourceFactory loops, ClientResources resources) {
        this.shared = shared;
        this.loops = loops;
        this.resources = resources;
    }

    @Override
    public ReactiveRedisConnection getReactiveConnection() {
        EventExecutor loop = ThreadExecutorMap.currentExecutor();
        LoopConnection own = loop == null ? null : byLoop.get(loop);
        return own != null && own.ready ? own.factory.getReactiveConnection() : shared.getReactiveConnection();
    }

    @Override
    public ReactiveRedisClusterConnection getReactiveClusterConnection() {
        return shared.getReactiveClusterConnection();
    }

    @Override
    public DataAccessException translateExceptionIfPossible(RuntimeException ex) {
        return shared.translateExceptionIfPossible(ex);
    }

    /** How many server event loops there are to connect (none before the server has started). */
    public int loops() {
        return byLoop.size();
    }

    /** How many loops have a connection of their own that serves; the rest use the shared one. */
    public int connectedLoops() {
        return (int) byLoop.values().stream().filter(connection -> connection.ready).count();
    }

    @Override
    public synchronized void onApplicationEvent(WebServerInitializedEvent event) {
        if (connector != null || event.getApplicationContext().getParent() != null) {
            return; // the management server's child context
        }
        if (shared.isRedisSentinelAware() || shared.isClusterAware() || shared.getClientConfiguration().isUseSsl()) {
            log.info("Redis is not a plain standalone server: every event loop uses the shared connection");
            return;
        }
        Map<EventExecutor, LoopConnection> made = new IdentityHashMap<>();
        int index = 0;
        for (EventExecutor executor : loops.getLoopResources().onServer(true)) {
            made.put(executor, new LoopConnection(factoryFor((EventLoop) executor, index++)));
        }
        byLoop = made;
        List<LoopConnection> pending = new ArrayList<>(made.values());
        connector = Thread.ofPlatform().daemon().name("redis-loop-connections").start(() -> connectAll(pending));
    }

    /** A factory whose one connection is registered on {@code loop}; made, not connected (no network here). */
    private LoopConnectionFactory factoryFor(EventLoop loop, int index) {
        LettuceClientConfiguration base = shared.getClientConfiguration();
        LettuceClientConfiguration.LettuceClientConfigurationBuilder client = LettuceClientConfiguration.builder()
            .clientResources(resources.mutate().eventLoopGroupProvider(new OneLoop(loop)).build())
            .commandTimeout(base.getCommandTimeout())
            .shutdownTimeout(Duration.ZERO)
            // the connection's name in Redis's CLIENT LIST: which of a gateway's connections is which
            .clientName(base.getClientName().map(name -> name + "-").orElse("gateway-") + "loop-" + index);
        base.getClientOptions().ifPresent(client::clientOptions);
        LoopConnectionFactory factory = new LoopConnectionFactory(shared, client.build());
        factory.afterPropertiesSet();
        factory.start();
        return factory;
    }

    /** Connects each loop's connection, off the loops and off the start; one that fails is tried again later. */
    private void connectAll(List<LoopConnection> pending) {
        while (!pending.isEmpty() && !closed) {
            pending.removeIf(this::connect);
            if (!pending.isEmpty()) {
                try {
                    Thread.sleep(RETRY_INTERVAL);
                }
                catch (InterruptedException stopping) {
                    return;
                }
            }
        }
    }

    private boolean connect(LoopConnection connection) {
        try {
            connection.factory.connect();
            connection.ready = true;
            return true;
        }
        catch (RuntimeException failed) {
            notYetLog.info("A Redis connection for a server event loop could not be made yet ({}); the shared one serves "
                    + "that loop meanwhile ({} similar lines suppressed)", failed.toString());
            return false;
        }
    }

    @Override
    public void destroy() {
        closed = true;
        if (connector != null) {
            connector.interrupt();
        }
        byLoop.values().forEach(connection -> connection.factory.destroy());
    }

    private static final class LoopConnection {

        final LoopConnectionFactory factory;

        volatile boolean ready;

        LoopConnection(LoopConnectionFactory factory) {
            this.factory = factory;
        }
    }

    /** The shared connection's settings, with the one Lettuce-protected call that makes the connection. */
    private static final class LoopConnectionFactory extends LettuceConnectionFactory {

        LoopConnectionFactory(LettuceConnectionFactory shared, LettuceClientConfiguration client) {
            super(shared.getStandaloneConfiguration(), client);
        }

        /** Makes the factory's one connection, waiting up to the command timeout; throws if it cannot. */
        StatefulConnection<?, ?> connect() {
            return getSharedReactiveConnection();
        }
    }

    /** Lettuce's event loops for one connection: the server's loop, which is not Lettuce's to close. */
    private record OneLoop(EventLoop loop) implements EventLoopGroupProvider {

        @Override
        @SuppressWarnings("unchecked")
        public <T extends EventLoopGroup> T allocate(Class<T> type) {
            return (T) loop;
        }

        @Override
        public int threadPoolSize() {
            return 1;
        }

        @Override
        public Future<Boolean> release(EventExecutorGroup group, long quietPeriod, long timeout, TimeUnit unit) {
            return ImmediateEventExecutor.INSTANCE.newSucceededFuture(true);
        }

        @Override
        public Future<Boolean> shutdown(long quietPeriod, long timeout, TimeUnit unit) {
            return ImmediateEventExecutor.INSTANCE.newSucceededFuture(true);
        }
    }
}
