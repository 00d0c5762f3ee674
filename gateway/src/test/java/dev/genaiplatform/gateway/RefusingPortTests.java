package dev.genaiplatform.gateway;

import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The port GatewayTestSupport gives the "down" guardrails service refuses connections and cannot be taken. */
class RefusingPortTests {

    @Test
    void refusesAConnection() {
        assertThatThrownBy(() -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), RefusingPort.port()), 2_000);
            }
        }).isInstanceOf(ConnectException.class);
    }

    @Test
    void cannotBeBoundByAServerOnLoopbackOrOnEveryAddress() {
        for (InetAddress address : new InetAddress[] { InetAddress.getLoopbackAddress(), null }) {
            assertThatThrownBy(() -> {
                try (ServerSocket server = new ServerSocket()) {
                    server.setReuseAddress(true); // as Netty's and the JDK's servers ask
                    server.bind(new InetSocketAddress(address, RefusingPort.port()));
                }
            }).as("bind on %s", address).isInstanceOf(java.net.BindException.class);
        }
    }
}
