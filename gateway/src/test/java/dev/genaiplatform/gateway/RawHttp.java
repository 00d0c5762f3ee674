package dev.genaiplatform.gateway;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * HTTP/1.1 by hand, for what no HTTP client will send: malformed paths, conflicting framing headers, control
 * characters, a body that never arrives. Reads until the server closes the connection (every request sent here
 * asks for {@code Connection: close} or earns a close) or the guard timeout, so a hang shows as a failure.
 */
final class RawHttp {

    /** Not a measurement: a guard so that a server which never answers fails the test instead of hanging it. */
    static final int GUARD_TIMEOUT_MS = 30_000;

    private RawHttp() {
    }

    /** Sends {@code request} as is and returns everything the server sent back until it closed. */
    static Answer send(int port, byte[] request) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(GUARD_TIMEOUT_MS);
            OutputStream out = socket.getOutputStream();
            out.write(request);
            out.flush();
            return read(socket);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Answer send(int port, String request) {
        return send(port, request.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Reads until the server closes; a read that times out means the server hung, and is reported as such. */
    static Answer read(Socket socket) throws IOException {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[8192];
        boolean closed;
        try {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                received.write(buffer, 0, n);
            }
            closed = true;
        }
        catch (SocketTimeoutException hung) {
            closed = false;
        }
        catch (java.net.SocketException reset) {
            closed = true; // a reset is a close too
        }
        return new Answer(received.toString(StandardCharsets.ISO_8859_1), closed);
    }

    /**
     * @param text the raw bytes received (status lines, headers, bodies)
     * @param closed whether the server closed the connection (false: it kept silent past the guard)
     */
    record Answer(String text, boolean closed) {

        /** The status of the first response, or 0 if none arrived. */
        int status() {
            if (!text.startsWith("HTTP/1.1 ")) {
                return 0;
            }
            return Integer.parseInt(text.substring(9, 12));
        }
    }
}
