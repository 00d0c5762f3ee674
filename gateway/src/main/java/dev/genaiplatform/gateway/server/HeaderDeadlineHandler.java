package dev.genaiplatform.gateway.server;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * Closes a connection whose request headers do not arrive in time. Reactor Netty's read and request timeouts
 * start only once the headers are decoded, and its idle timeout restarts with every byte, so a client that
 * trickles a header byte every few seconds (slowloris) would hold the connection for as long as it likes.
 * Here the whole header block of the first request must arrive within {@code first} of connecting, and that
 * of each later request within {@code next} of the previous response (the keep-alive idle time plus the same
 * allowance). Sits right after the HTTP codec, one instance per connection, all on the channel's event loop.
 */
public final class HeaderDeadlineHandler extends ChannelDuplexHandler {

    private final long firstMillis;

    private final long nextMillis;

    private ScheduledFuture<?> deadline;

    public HeaderDeadlineHandler(Duration first, Duration next) {
        this.firstMillis = first.toMillis();
        this.nextMillis = next.toMillis();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive()) {
            arm(ctx, firstMillis);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        arm(ctx, firstMillis);
        super.channelActive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) throws Exception {
        if (message instanceof HttpRequest) {
            cancel(); // headers complete: the read and request timeouts take over
        }
        super.channelRead(ctx, message);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object message, ChannelPromise promise) throws Exception {
        if (message instanceof LastHttpContent) {
            promise.addListener(written -> arm(ctx, nextMillis));
        }
        super.write(ctx, message, promise);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        cancel();
        super.channelInactive(ctx);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancel();
    }

    private void arm(ChannelHandlerContext ctx, long millis) {
        cancel();
        deadline = ctx.executor().schedule(() -> {
            ctx.close();
        }, millis, TimeUnit.MILLISECONDS);
    }

    private void cancel() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }
}
