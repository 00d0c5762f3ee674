package dev.genaiplatform.gateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * A loopback port where nothing listens for as long as the test JVM runs: the tests' address of a service that is
 * down. A socket is bound to it and never listens, so a connection there is refused, and no server, in this JVM or
 * any other process on the machine, can bind the port meanwhile.
 *
 * <p>A port found free and then released ({@link TestRedis#freePort}) is not enough: the kernel hands it out again to
 * the next server that asks for any port. When that server was another gateway (a second test context, another
 * engineer's build), GatewayIT's request to the "down" guardrails service reached it with the internal token as its
 * bearer, and got that gateway's 401 {@code invalid_api_key} instead of the 503 it expects (README, "Wave 12").
 */
final class RefusingPort {

    private static final Socket HOLDER = bound();

    private RefusingPort() {
    }

    static int port() {
        return HOLDER.getLocalPort();
    }

    private static Socket bound() {
        Socket socket = new Socket();
        try {
            socket.setReuseAddress(false); // a listener asking for SO_REUSEADDR must not share the port either
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return socket;
        }
        catch (IOException e) {
            throw new UncheckedIOException("Could not hold a port for a service that is down", e);
        }
    }
}
