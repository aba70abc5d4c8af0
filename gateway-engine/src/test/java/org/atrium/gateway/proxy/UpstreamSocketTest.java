package org.atrium.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class UpstreamSocketTest {
    private ServerSocket server;
    private Socket backend;
    private UpstreamSocket socket;

    @BeforeEach
    void connect() throws Exception {
        server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        SocketChannel ch = SocketChannel.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()));
        backend = server.accept();
        socket = new UpstreamSocket(ch, "t");
    }

    @AfterEach
    void close() throws Exception {
        socket.close();
        backend.close();
        server.close();
    }

    @Test
    void smallEventsKeepTheFirstBuffer() throws Exception {
        OutputStream out = backend.getOutputStream();
        for (int i = 0; i < 20; i++) {
            byte[] event = ("data: {\"n\":" + i + "}\n\n").getBytes();
            out.write(event);
            out.flush();
            assertThat(socket.get()).isEqualTo(event);
        }
        assertThat(socket.readBufferSize()).isEqualTo(UpstreamSocket.FIRST_READ);
    }

    @Test
    void aLargeAnswerArrivesWholeAndGrowsTheBufferToItsLimit() throws Exception {
        byte[] answer = new byte[300_000];
        new Random(7).nextBytes(answer);
        Thread.ofVirtual().start(() -> {
            try {
                backend.getOutputStream().write(answer);
                backend.shutdownOutput();
            } catch (Exception ignored) {
                // the assertion below fails instead
            }
        });
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        for (byte[] b; (b = socket.get()) != null; ) {
            assertThat(b.length).isBetween(1, UpstreamSocket.MAX_READ);
            got.write(b);
        }
        assertThat(got.toByteArray()).isEqualTo(answer);
        assertThat(socket.readBufferSize()).isEqualTo(UpstreamSocket.MAX_READ);
    }

    @Test
    void peersAndState() throws Exception {
        assertThat(socket.remotePeer().port()).isEqualTo(server.getLocalPort());
        assertThat(socket.localPeer().port()).isEqualTo(backend.getPort());
        assertThat(socket.isConnected()).isTrue();
        assertThat(socket.isSecure()).isFalse();
        socket.close();
        assertThat(socket.isConnected()).isFalse();
    }
}
