package org.atrium.console.client;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Just enough of a WebSocket server (RFC 6455 handshake, unmasked text frames) to test the live
 * feed: each connection gets the given messages, then the socket is dropped like a gateway restart.
 */
final class StubLiveServer implements AutoCloseable {
    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private final ServerSocket server;
    private final String expectedToken;
    private final java.util.function.IntFunction<List<String>> messagesFor;
    final AtomicInteger connections = new AtomicInteger();
    final List<String> authHeaders = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    StubLiveServer(String expectedToken, List<String> messages) throws IOException {
        this(expectedToken, n -> messages);
    }

    /** @param messagesFor what the n-th connection (1, 2, …) is sent, like a gateway's history on connect */
    StubLiveServer(String expectedToken, java.util.function.IntFunction<List<String>> messagesFor) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.expectedToken = expectedToken;
        this.messagesFor = messagesFor;
        acceptor = new Thread(this::acceptLoop, "stub-live");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try (Socket s = server.accept()) {
                serve(s);
            } catch (IOException | RuntimeException e) {
                // next connection
            }
        }
    }

    private void serve(Socket s) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
        String line = in.readLine();
        if (line == null || !line.startsWith("GET /admin/v1/live ")) {
            return;
        }
        String key = null;
        String auth = null;
        while ((line = in.readLine()) != null && !line.isEmpty()) {
            int c = line.indexOf(':');
            String name = line.substring(0, c).trim().toLowerCase();
            String value = line.substring(c + 1).trim();
            if (name.equals("sec-websocket-key")) {
                key = value;
            } else if (name.equals("authorization")) {
                auth = value;
            }
        }
        authHeaders.add(String.valueOf(auth));
        OutputStream out = s.getOutputStream();
        if (!("Bearer " + expectedToken).equals(auth)) {
            out.write("HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return;
        }
        List<String> messages = messagesFor.apply(connections.incrementAndGet());
        String accept;
        try {
            accept = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1")
                    .digest((key + GUID).getBytes(StandardCharsets.ISO_8859_1)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + accept + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        for (String m : messages) {
            byte[] p = m.getBytes(StandardCharsets.UTF_8);
            out.write(0x81);
            if (p.length < 126) {
                out.write(p.length);
            } else if (p.length < 65_536) {
                out.write(126);
                out.write(p.length >>> 8);
                out.write(p.length & 0xff);
            } else {
                out.write(127);
                for (int i = 7; i >= 0; i--) {
                    out.write((int) ((long) p.length >>> (8 * i)) & 0xff);
                }
            }
            out.write(p);
        }
        out.flush();
        try {
            Thread.sleep(300);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // dropping the socket without a close frame: what a killed gateway looks like
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
