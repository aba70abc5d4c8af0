package org.atrium.gateway.proxy;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.buffers.DataReader;
import io.helidon.common.buffers.DataWriter;
import io.helidon.common.socket.HelidonSocket;
import io.helidon.webclient.api.ClientConnection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Atrium's keep-alive pool for plain-HTTP backends; Helidon's client speaks HTTP/1.1 over the
 * connections it hands out ({@code ClientRequest.connection}).
 *
 * <p>Helidon's own pool watches every connection it holds: returning one starts a virtual thread
 * that reads a byte with a 101 ms socket timeout (and again every 101 ms while the connection stays
 * idle), and the next call waits for that thread to hand the answer's first byte over. On one core
 * that was a fifth of a call's CPU: a thread start, a timed park (each of those wakes the JDK's delay
 * scheduler twice) and two thread switches per call, plus ten wake-ups a second per idle connection
 * (bench/README.md, "Per call"). This pool checks a connection when it is taken instead: one
 * non-blocking read says whether the backend closed it (end of stream), reset it or sent something
 * unasked, and any of those discards it, which is what Helidon's watcher finds out too. Calls carry
 * no socket timeout: the route's read timeout is the {@link StreamWatchdog}'s, head and body alike,
 * so no read is a timed park.
 *
 * <p>Idle connections are kept most recently used first, at most {@value #MAX_IDLE_PER_BACKEND} per
 * backend, and closed after {@link #MAX_IDLE} unused (nginx's default for upstream keep-alive).
 */
final class UpstreamConnections implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(UpstreamConnections.class.getName());
    static final int MAX_IDLE_PER_BACKEND = 256;
    static final Duration MAX_IDLE = Duration.ofSeconds(60);
    private static final long SWEEP_MILLIS = 5_000;
    private static final AtomicLong IDS = new AtomicLong();

    private final Map<String, LinkedBlockingDeque<Conn>> idle = new ConcurrentHashMap<>();
    private final long maxIdleNanos;
    private final ScheduledExecutorService sweeper;
    private volatile boolean closed;

    UpstreamConnections() {
        this(MAX_IDLE);
    }

    UpstreamConnections(Duration maxIdle) {
        this.maxIdleNanos = maxIdle.toNanos();
        sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "atrium-upstream-pool");
            t.setDaemon(true);
            return t;
        });
        sweeper.scheduleWithFixedDelay(this::sweepQuietly, SWEEP_MILLIS, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
    }

    /**
     * A connection to {@code backend}: a pooled one that is still open, else a new one.
     *
     * @throws UncheckedIOException when connecting fails (its cause a {@link java.net.ConnectException}
     *                              or a connect {@link java.net.SocketTimeoutException})
     */
    ClientConnection take(URI backend, Duration connectTimeout) {
        String key = key(backend);
        LinkedBlockingDeque<Conn> q = idle.get(key);
        if (q != null) {
            long now = System.nanoTime();
            for (Conn c; (c = q.pollFirst()) != null; ) {
                if (now - c.idleSince <= maxIdleNanos && c.stillOpen()) {
                    c.inUse = true;
                    return c;
                }
                c.closeResource();
            }
        }
        return open(key, backend, connectTimeout);
    }

    /** Idle connections now held, all backends (for tests and diagnostics). */
    int idleCount() {
        return idle.values().stream().mapToInt(LinkedBlockingDeque::size).sum();
    }

    @Override
    public void close() {
        closed = true;
        sweeper.shutdownNow();
        idle.values().forEach(q -> {
            for (Conn c; (c = q.pollFirst()) != null; ) {
                c.closeResource();
            }
        });
    }

    private static String key(URI backend) {
        return backend.getHost() + ':' + port(backend);
    }

    private static int port(URI backend) {
        return backend.getPort() >= 0 ? backend.getPort() : 80;
    }

    private Conn open(String key, URI backend, Duration connectTimeout) {
        SocketChannel ch = null;
        try {
            ch = SocketChannel.open();
            ch.socket().setTcpNoDelay(true);
            ch.socket().connect(new InetSocketAddress(backend.getHost(), port(backend)),
                    (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()));
            return new Conn(this, key, ch);
        } catch (IOException e) {
            closeQuietly(ch);
            throw new UncheckedIOException("Failed to connect to " + backend.getHost() + ":" + port(backend) + ": "
                    + e.getMessage(), e);
        }
    }

    /** Back in the pool when the answer was read to its end (Helidon calls this), else closed. */
    private boolean release(Conn c) {
        if (closed) {
            return false;
        }
        c.idleSince = System.nanoTime();
        return idle.computeIfAbsent(c.key, k -> new LinkedBlockingDeque<>(MAX_IDLE_PER_BACKEND)).offerFirst(c);
    }

    /** Closes connections idle for longer than the limit; the oldest are at the end of each queue. */
    void sweep() {
        long now = System.nanoTime();
        for (LinkedBlockingDeque<Conn> q : idle.values()) {
            for (Iterator<Conn> it = q.descendingIterator(); it.hasNext(); ) {
                Conn c = it.next();
                if (now - c.idleSince <= maxIdleNanos) {
                    break;
                }
                if (q.removeLastOccurrence(c)) { // not taken meanwhile
                    c.closeResource();
                }
            }
        }
    }

    /** The sweep on the pool's timer: a failed sweep is logged, and the next one still runs. */
    private void sweepQuietly() {
        try {
            sweep();
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "Sweeping idle upstream connections failed", e);
        }
    }

    private static void closeQuietly(SocketChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // nothing to do
            }
        }
    }

    /** One backend connection: a blocking channel ({@link UpstreamSocket}) and Helidon's reader over it. */
    static final class Conn implements ClientConnection {
        private final UpstreamConnections pool;
        private final String key;
        private final SocketChannel channel;
        private final UpstreamSocket socket;
        private final DataReader reader;
        private final DataWriter writer;
        private final String id;
        private final ByteBuffer probe = ByteBuffer.allocate(1);
        private volatile boolean closed;
        private volatile boolean inUse = true;
        private volatile long idleSince;
        private boolean allowExpectContinue = true;

        private Conn(UpstreamConnections pool, String key, SocketChannel channel) throws IOException {
            this.pool = pool;
            this.key = key;
            this.channel = channel;
            this.id = "atrium-" + Long.toHexString(IDS.incrementAndGet());
            this.socket = new UpstreamSocket(channel, id);
            this.reader = DataReader.create(socket);
            this.writer = new DirectWriter(socket);
        }

        /**
         * Whether the backend left the idle connection as it was: nothing to read and no end of
         * stream. The channel is put in non-blocking mode for this one read only.
         */
        boolean stillOpen() {
            if (closed) {
                return false;
            }
            try {
                channel.configureBlocking(false);
                try {
                    probe.clear();
                    return channel.read(probe) == 0;
                } finally {
                    channel.configureBlocking(true);
                }
            } catch (IOException | RuntimeException e) {
                return false;
            }
        }

        @Override
        public DataReader reader() {
            return reader;
        }

        @Override
        public DataWriter writer() {
            return writer;
        }

        @Override
        public String channelId() {
            return id;
        }

        @Override
        public HelidonSocket helidonSocket() {
            return socket;
        }

        /** Not a socket timeout: the {@link StreamWatchdog} times every read of a call (see the class comment). */
        @Override
        public void readTimeout(Duration readTimeout) {
            // intentionally empty
        }

        @Override
        public boolean isConnected() {
            return !closed && channel.isOpen();
        }

        @Override
        public boolean allowExpectContinue() {
            return allowExpectContinue;
        }

        @Override
        public void allowExpectContinue(boolean allowExpectContinue) {
            this.allowExpectContinue = allowExpectContinue;
        }

        @Override
        public void releaseResource() {
            if (closed || !inUse) {
                return;
            }
            inUse = false;
            if (!channel.isOpen() || !pool.release(this)) {
                closeResource();
            }
        }

        @Override
        public void closeResource() {
            if (closed) {
                return;
            }
            closed = true;
            inUse = false;
            closeQuietly(channel);
        }
    }

    /** Writes go straight to the socket: Helidon hands the client one buffer per request head (and body). */
    private record DirectWriter(HelidonSocket socket) implements DataWriter {
        @Override
        public void write(BufferData... buffers) {
            for (BufferData b : buffers) {
                socket.write(b);
            }
        }

        @Override
        public void write(BufferData buffer) {
            socket.write(buffer);
        }

        @Override
        public void writeNow(BufferData... buffers) {
            write(buffers);
        }

        @Override
        public void writeNow(BufferData buffer) {
            socket.write(buffer);
        }
    }
}
