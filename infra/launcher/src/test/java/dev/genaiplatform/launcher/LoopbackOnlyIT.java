package dev.genaiplatform.launcher;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Issue 6 item 2: on the one-command platform nothing listens beyond loopback. Every port the launcher
 * opens (each service's and its management port, the broker's, Redis's, PostgreSQL's) accepts a
 * connection on 127.0.0.1 and refuses one on this machine's own network address.
 */
class LoopbackOnlyIT {

    @Test
    void everyPortOfThePlatformListensOnLoopbackOnly() throws Exception {
        LauncherSettings settings = RunningPlatform.get();
        Optional<InetAddress> external = nonLoopbackAddress();
        assumeTrue(external.isPresent(), "this machine has no non-loopback IPv4 address to try");

        List<Integer> ports = new ArrayList<>(List.of(settings.kafkaPort(), settings.kafkaControllerPort(),
                settings.redisPort(), settings.postgresPort()));
        for (ServiceSpec service : new ServiceEnvironment(settings, PlatformSecrets.of(Map.of())).services()) {
            ports.add(service.port());
            if (answers(InetAddress.getLoopbackAddress(), service.managementPort())) {
                ports.add(service.managementPort()); // services that moved actuator to its own port
            }
        }

        assertThat(ports).allSatisfy(port -> {
            assertThat(answers(InetAddress.getLoopbackAddress(), port)).as("127.0.0.1:" + port).isTrue();
            assertThat(answers(external.get(), port)).as(external.get().getHostAddress() + ":" + port).isFalse();
        });
    }

    private static boolean answers(InetAddress address, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), 2000);
            return true;
        } catch (IOException refused) {
            return false;
        }
    }

    private static Optional<InetAddress> nonLoopbackAddress() throws IOException {
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!nic.isUp() || nic.isLoopback()) {
                continue;
            }
            for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                if (address instanceof Inet4Address && !address.isLoopbackAddress() && !address.isLinkLocalAddress()) {
                    return Optional.of(address);
                }
            }
        }
        return Optional.empty();
    }
}
