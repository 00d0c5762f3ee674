package dev.genaiplatform.gateway.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Not part of the gateway: Redis's {@code MONITOR} feed on a private Redis, read on a thread of its own, for counting
 * what a request costs in Redis. Each line of the feed is one command with where it came from: a client's address
 * (one round trip) or {@code lua} (run inside a script of that round trip).
 */
public final class RedisMonitor implements AutoCloseable {

    private final Socket socket;

    private final List<Command> seen = new ArrayList<>();

    /** One command: {@code fromClient} is false for commands a Lua script ran. */
    public record Command(boolean fromClient, String name, String line) {
    }

    public RedisMonitor(int port) {
        try {
            socket = new Socket("127.0.0.1", port);
            socket.getOutputStream().write("MONITOR\r\n".getBytes(StandardCharsets.US_ASCII));
            BufferedReader lines = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            if (!"+OK".equals(lines.readLine())) {
                throw new IllegalStateException("Redis refused MONITOR");
            }
            Thread reader = new Thread(() -> read(lines), "redis-monitor");
            reader.setDaemon(true);
            reader.start();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void read(BufferedReader lines) {
        try {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                // +1733550000.123456 [0 127.0.0.1:53210] "evalsha" "..." or +... [0 lua] "get" "..."
                int source = line.indexOf('[');
                int end = line.indexOf(']', source);
                int name = line.indexOf('"', end);
                if (source < 0 || end < 0 || name < 0) {
                    continue;
                }
                boolean fromClient = !line.substring(source, end).endsWith(" lua");
                String command = line.substring(name + 1, line.indexOf('"', name + 1)).toLowerCase(Locale.ROOT);
                synchronized (seen) {
                    seen.add(new Command(fromClient, command, line));
                }
            }
        }
        catch (IOException closed) {
            // closed by close()
        }
    }

    /** Everything seen since the last call, and forgets it. */
    public List<Command> take() {
        synchronized (seen) {
            List<Command> taken = List.copyOf(seen);
            seen.clear();
            return taken;
        }
    }

    /** How many of each command, split into round trips (a client's) and commands run inside scripts. */
    public static Map<String, Integer> count(List<Command> commands) {
        Map<String, Integer> counts = new TreeMap<>();
        for (Command command : commands) {
            counts.merge((command.fromClient() ? "" : "lua:") + command.name(), 1, Integer::sum);
        }
        return counts;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
