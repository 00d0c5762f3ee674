package dev.genaiplatform.gateway.server;

import io.netty.channel.EventLoopGroup;
import reactor.netty.resources.LoopResources;

import org.springframework.http.client.ReactorResourceFactory;

/**
 * The HTTP server's event loops, for the proxy's client: looked up when a connection is made, because the server's
 * {@link ReactorResourceFactory} creates them only when it starts, after the proxy's client was built. Disposing
 * this does nothing: the loops are the server's, and the factory closes them.
 */
public final class ServerLoops implements LoopResources {

    private final ReactorResourceFactory resources;

    public ServerLoops(ReactorResourceFactory resources) {
        this.resources = resources;
    }

    @Override
    public EventLoopGroup onServer(boolean useNative) {
        return resources.getLoopResources().onServer(useNative);
    }

    /** Colocated: a connection opened from one of the loops is registered on that loop. */
    @Override
    public EventLoopGroup onClient(boolean useNative) {
        return resources.getLoopResources().onClient(useNative);
    }

    @Override
    public EventLoopGroup onServerSelect(boolean useNative) {
        return resources.getLoopResources().onServerSelect(useNative);
    }

    @Override
    public boolean daemon() {
        return resources.getLoopResources().daemon();
    }
}
