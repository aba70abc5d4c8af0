package org.atrium.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.helidon.webclient.api.ClientConnection;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The pool against a real listening socket whose accepted ends the test holds, so it can close them,
 * write to them unasked, or see them closed by the pool.
 */
class UpstreamConnectionsTest {
    private static final Duration CONNECT = Duration.ofSeconds(2);

    private ServerSocket server;
    private final BlockingQueue<Socket> accepted = new LinkedBlockingQueue<>();
    private final List<Socket> all = new ArrayList<>();
    private UpstreamConnections pool;
    private URI backend;

    @BeforeEach
    void start() throws IOException {
        server = new ServerSocket(0, 512, InetAddress.getLoopbackAddress());
        backend = URI.create("http://127.0.0.1:" + server.getLocalPort());
        Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    synchronized (all) {
                        all.add(s);
                    }
                    accepted.add(s);
                } catch (IOException e) {
                    return;
                }
            }
        });
        pool = new UpstreamConnections(Duration.ofSeconds(60));
    }

    @AfterEach
    void stop() throws IOException {
        pool.close();
        server.close();
        synchronized (all) {
            for (Socket s : all) {
                s.close();
            }
        }
    }

    private Socket serverEnd() throws InterruptedException {
        Socket s = accepted.poll(5, TimeUnit.SECONDS);
        assertThat(s).as("the pool connected").isNotNull();
        return s;
    }

    /**
     * Whether the pool closed its end: a read here sees the end of the stream, or a reset (what
     * closing a socket with unread bytes sends).
     */
    private static boolean closedByPool(Socket s) throws IOException {
        s.setSoTimeout(2_000);
        try {
            return s.getInputStream().read() < 0;
        } catch (SocketException reset) {
            return true;
        }
    }

    @Test
    void aReleasedConnectionIsTakenAgain() throws Exception {
        ClientConnection c = pool.take(backend, CONNECT);
        serverEnd();
        c.releaseResource();
        assertThat(pool.idleCount()).isEqualTo(1);
        ClientConnection again = pool.take(backend, CONNECT);
        assertThat(again.channelId()).isEqualTo(c.channelId());
        assertThat(accepted).as("no second connection").isEmpty();
        assertThat(pool.idleCount()).isZero();
    }

    @Test
    void aConnectionTheBackendClosedWhileIdleIsReplaced() throws Exception {
        ClientConnection c = pool.take(backend, CONNECT);
        Socket first = serverEnd();
        c.releaseResource();
        first.close(); // as uvicorn does after its keep-alive timeout
        Thread.sleep(50);
        ClientConnection next = pool.take(backend, CONNECT);
        assertThat(next.channelId()).isNotEqualTo(c.channelId());
        serverEnd();
        assertThat(c.isConnected()).isFalse();
    }

    @Test
    void aConnectionWithUnaskedBytesIsReplacedAndClosed() throws Exception {
        ClientConnection c = pool.take(backend, CONNECT);
        Socket first = serverEnd();
        c.releaseResource();
        first.getOutputStream().write("HTTP/1.1 408 Request Timeout\r\n\r\n".getBytes());
        first.getOutputStream().flush();
        Thread.sleep(50);
        ClientConnection next = pool.take(backend, CONNECT);
        assertThat(next.channelId()).isNotEqualTo(c.channelId());
        assertThat(closedByPool(first)).isTrue();
    }

    @Test
    void aConnectionClosedInsteadOfReleasedNeverReturns() throws Exception {
        ClientConnection c = pool.take(backend, CONNECT);
        Socket first = serverEnd();
        c.closeResource();
        c.releaseResource(); // Helidon may do both; the second is a no-op
        assertThat(pool.idleCount()).isZero();
        assertThat(closedByPool(first)).isTrue();
    }

    @Test
    void aConnectionIsReleasedOnlyOncePerUse() throws Exception {
        ClientConnection c = pool.take(backend, CONNECT);
        serverEnd();
        c.releaseResource();
        c.releaseResource();
        assertThat(pool.idleCount()).isEqualTo(1);
    }

    @Test
    void idleConnectionsAreClosedAfterTheLimit() throws Exception {
        pool.close();
        pool = new UpstreamConnections(Duration.ofMillis(100));
        ClientConnection old = pool.take(backend, CONNECT);
        Socket oldEnd = serverEnd();
        old.releaseResource();
        Thread.sleep(250);
        ClientConnection fresh = pool.take(backend, CONNECT);
        Socket freshEnd = serverEnd();
        fresh.releaseResource();
        pool.sweep(); // the fresh one stays
        assertThat(pool.idleCount()).isEqualTo(1);
        assertThat(closedByPool(oldEnd)).as("the old one was closed when it was passed over").isTrue();
        Thread.sleep(250);
        pool.sweep();
        assertThat(pool.idleCount()).isZero();
        assertThat(closedByPool(freshEnd)).isTrue();
    }

    @Test
    void atMost256IdleConnectionsPerBackend() throws Exception {
        List<ClientConnection> taken = new ArrayList<>();
        for (int i = 0; i < UpstreamConnections.MAX_IDLE_PER_BACKEND + 4; i++) {
            taken.add(pool.take(backend, CONNECT));
        }
        taken.forEach(ClientConnection::releaseResource);
        assertThat(pool.idleCount()).isEqualTo(UpstreamConnections.MAX_IDLE_PER_BACKEND);
        assertThat(taken.stream().filter(c -> !c.isConnected()).count()).as("closed, not pooled").isEqualTo(4);
    }

    @Test
    void closingThePoolClosesItsIdleConnections() throws Exception {
        ClientConnection c = pool.take(backend, CONNECT);
        Socket end = serverEnd();
        c.releaseResource();
        pool.close();
        assertThat(pool.idleCount()).isZero();
        assertThat(closedByPool(end)).isTrue();
        c.releaseResource();
    }

    @Test
    void aRefusedConnectionIsAConnectFailure() throws Exception {
        int dead;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            dead = s.getLocalPort();
        }
        assertThatThrownBy(() -> pool.take(URI.create("http://127.0.0.1:" + dead), CONNECT))
                .satisfies(e -> assertThat(UpstreamProxy.connectFailure(e)).as("failover treats it as not reached").isTrue())
                .hasRootCauseInstanceOf(ConnectException.class);
    }
}
