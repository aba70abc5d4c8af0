package org.atrium.gateway.proxy;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.socket.HelidonSocket;
import io.helidon.common.socket.PeerInfo;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.SocketChannel;
import java.security.Principal;
import java.security.cert.Certificate;
import java.util.Arrays;
import java.util.Optional;

/**
 * The backend side of a call, as Helidon's client reads and writes it: a blocking channel whose
 * read buffer starts at {@value #FIRST_READ} bytes and doubles (to {@value #MAX_READ}) each time a
 * read fills it. Helidon's {@code PlainSocket} holds a fixed 8 KiB one per connection; an open
 * stream of SSE events of a few hundred bytes needs 1 KiB, and at 1,000 open streams the
 * difference is 7 MB of live heap that every young collection in the burst copies (bench/README.md,
 * "Streaming relay"). A read returns what has arrived, so the size never delays a byte.
 */
final class UpstreamSocket implements HelidonSocket {
    static final int FIRST_READ = 1024;
    static final int MAX_READ = 16 * 1024;

    private final SocketChannel channel;
    private final InputStream in;
    private final OutputStream out;
    private final String id;
    private byte[] readBuffer = new byte[FIRST_READ];

    UpstreamSocket(SocketChannel channel, String id) throws IOException {
        this.channel = channel;
        this.in = channel.socket().getInputStream();
        this.out = channel.socket().getOutputStream();
        this.id = id;
    }

    /** Size of the next read (for tests). */
    int readBufferSize() {
        return readBuffer.length;
    }

    @Override
    public byte[] get() {
        try {
            int r = in.read(readBuffer);
            if (r < 0) {
                return null; // end of stream
            }
            byte[] data = Arrays.copyOf(readBuffer, r);
            if (r == readBuffer.length && readBuffer.length < MAX_READ) {
                readBuffer = new byte[readBuffer.length * 2];
            }
            return data;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    @SuppressWarnings("deprecation")
    public int read(BufferData buffer) {
        return buffer.readFrom(in);
    }

    @Override
    public void write(BufferData buffer) {
        buffer.writeTo(out);
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Nothing to do: {@link UpstreamConnections} checks an idle connection when it is taken. */
    @Override
    public void idle() {
        // intentionally empty
    }

    @Override
    public boolean isConnected() {
        return channel.isOpen();
    }

    @Override
    public PeerInfo remotePeer() {
        return new Peer(channel.socket().getRemoteSocketAddress());
    }

    @Override
    public PeerInfo localPeer() {
        return new Peer(channel.socket().getLocalSocketAddress());
    }

    @Override
    public boolean isSecure() {
        return false;
    }

    @Override
    public String socketId() {
        return "client";
    }

    @Override
    public String childSocketId() {
        return id;
    }

    private record Peer(SocketAddress address) implements PeerInfo {
        @Override
        public String host() {
            return address instanceof InetSocketAddress a ? a.getHostString() : String.valueOf(address);
        }

        @Override
        public int port() {
            return address instanceof InetSocketAddress a ? a.getPort() : -1;
        }

        @Override
        public Optional<Principal> tlsPrincipal() {
            return Optional.empty();
        }

        @Override
        public Optional<Certificate[]> tlsCertificates() {
            return Optional.empty();
        }
    }
}
